package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The scheduling core without a broker or a receiver: records in, attempts out, results in, writes and offsets out. */
class DeliveryEngineTest {

    private static final TopicNames TOPICS = TopicNames.prefixed("t");
    private static final RetrySchedule RETRY = new RetrySchedule(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(10), 5, 0.0,
            Duration.ofMinutes(15));
    private static final AttemptResult OK = new AttemptResult(200, null, "Accepted", Verdict.DELIVERED, null);
    private static final AttemptResult SERVER_ERROR = new AttemptResult(500, null, "boom", Verdict.RETRYABLE, null);
    private static final AttemptResult REFUSED = AttemptResult.noResponse("connection refused");

    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final FakeIndex index = new FakeIndex();
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DeliveryEngine engine = engine(100, CircuitSettings.DEFAULT);

    private DeliveryEngine engine(int maxInFlight, CircuitSettings circuit) {
        Endpoint endpoint = new Endpoint("make", URI.create("https://hook.example/x"), maxInFlight, request -> OK);
        DeliveryEngine created = new DeliveryEngine(List.of(endpoint), circuit, RETRY, Duration.ofMinutes(5), TOPICS,
                index, clock, new SinkMetrics(registry));
        created.assigned(0, 0, 0);
        created.assigned(1, 0, 0);
        return created;
    }

    @Test
    void an_appointments_confirmed_waits_while_its_created_retries_and_goes_right_after_it() {
        event(0, 1, EventType.CREATED);
        event(0, 1, EventType.CONFIRMED);

        List<DeliveryEngine.Attempt> first = engine.startable();
        assertThat(keys(first)).containsExactly("appointment:1:created");
        engine.completed(first.get(0), SERVER_ERROR, Duration.ofMillis(200));

        assertThat(engine.startable()).as("confirmed while created waits for its retry").isEmpty();
        clock.advance(Duration.ofSeconds(5));
        List<DeliveryEngine.Attempt> retry = engine.startable();
        assertThat(keys(retry)).containsExactly("appointment:1:created");
        assertThat(retry.get(0).request().attempt()).isEqualTo(2);
        engine.completed(retry.get(0), OK, Duration.ofMillis(200));

        assertThat(keys(engine.startable())).containsExactly("appointment:1:confirmed");
    }

    @Test
    void appointments_go_out_side_by_side_up_to_max_in_flight_and_a_free_slot_takes_the_next() {
        engine = engine(100, CircuitSettings.DEFAULT);
        for (int id = 1; id <= 300; id++) {
            event(id % 2, id, EventType.CREATED);
        }

        List<DeliveryEngine.Attempt> inFlight = engine.startable();
        assertThat(inFlight).hasSize(100);
        assertThat(engine.startable()).as("no free slot").isEmpty();

        engine.completed(inFlight.get(0), OK, Duration.ofMillis(200));
        engine.completed(inFlight.get(1), OK, Duration.ofMillis(200));
        assertThat(engine.startable()).hasSize(2);
    }

    @Test
    void one_payload_failing_forever_holds_back_only_its_own_appointment() {
        event(0, 1, EventType.CREATED);
        for (int id = 2; id <= 50; id++) {
            event(0, id, EventType.CREATED);
        }
        event(0, 1, EventType.CONFIRMED);

        int delivered = 0;
        for (int round = 0; round < 10; round++) {
            for (DeliveryEngine.Attempt attempt : engine.startable()) {
                boolean poison = attempt.request().idempotencyKey().appointmentId().equals("1");
                engine.completed(attempt, poison ? SERVER_ERROR : OK, Duration.ofMillis(100));
                delivered += poison ? 0 : 1;
            }
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(delivered).as("every other appointment").isEqualTo(49);
        CommitBatch batch = engine.drain();
        assertThat(batch.offsets().get(events(0)).offset()).as("the offset moves past the retrying appointment once it is parked")
                .isEqualTo(51);
        assertThat(indexEntries(batch)).filteredOn(e -> e.idempotencyKey().equals("appointment:1:confirmed")).singleElement()
                .satisfies(queued -> {
                    assertThat(queued.status()).isEqualTo(DeliveryStatus.PENDING);
                    assertThat(queued.body()).isNotNull();
                });
    }

    @Test
    void the_committable_offset_is_the_lowest_open_record_and_moves_past_finished_ones_when_the_gap_closes() {
        for (int id = 1; id <= 5; id++) {
            event(0, id, EventType.CREATED);
        }
        List<DeliveryEngine.Attempt> attempts = engine.startable();
        engine.completed(attempts.get(1), OK, Duration.ofMillis(1));
        engine.completed(attempts.get(2), OK, Duration.ofMillis(1));
        engine.completed(attempts.get(4), OK, Duration.ofMillis(1));
        assertThat(engine.drain().offsets().get(events(0)).offset()).as("record 0 still in flight").isZero();

        engine.completed(attempts.get(0), OK, Duration.ofMillis(1));
        assertThat(engine.drain().offsets().get(events(0)).offset()).as("record 3 still in flight").isEqualTo(3);

        engine.completed(attempts.get(3), SERVER_ERROR, Duration.ofMillis(1));
        assertThat(engine.drain().offsets().get(events(0)).offset()).as("record 3 parked for its retry").isEqualTo(5);
        assertThat(engine.openRecords().get(events(0))).isZero();
    }

    @Test
    void a_retry_is_recorded_retrying_with_its_due_time_in_the_ledger_and_its_body_in_the_index() {
        event(0, 7, EventType.CREATED);
        List<DeliveryEngine.Attempt> attempt = engine.startable();
        assertThat(ledger(engine.drain())).extracting(r -> r.status().wireName() + "/" + r.attempts()).containsExactly("pending/0");
        engine.completed(attempt.get(0), SERVER_ERROR, Duration.ofMillis(1));

        CommitBatch batch = engine.drain();

        assertThat(ledger(batch)).extracting(r -> r.status().wireName() + "/" + r.attempts() + "/" + r.nextAttemptAt())
                .containsExactly("retrying/1/2026-12-02T10:00:05Z");
        IndexEntry waiting = indexEntries(batch).get(0);
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.nextAttemptAt()).isEqualTo(Instant.parse("2026-12-02T10:00:05Z"));
        assertThat(waiting.body()).isEqualTo(SinkTestKit.event(7, EventType.CREATED));
    }

    @Test
    void a_delivery_that_goes_straight_through_writes_only_its_final_ledger_record_and_a_small_index_entry() {
        event(0, 3, EventType.CREATED);
        engine.completed(engine.startable().get(0), OK, Duration.ofMillis(1));

        CommitBatch batch = engine.drain();

        assertThat(ledger(batch)).extracting(DeliveryRecord::status).containsExactly(DeliveryStatus.DELIVERED);
        assertThat(indexEntries(batch)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(e.body()).as("no payload once final").isNull();
        });
        assertThat(batch.outcomes().total(CommitBatch.Outcomes.DELIVERED)).isEqualTo(1);
    }

    @Test
    void a_delivered_event_records_its_derived_to_delivered_span_from_the_header_derive_put_on_it() {
        long derivedAt = System.currentTimeMillis() - 30;
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPICS.appointmentEvents(), 0, 0,
                IdempotencyKey.of(4, EventType.CREATED).toString(), SinkTestKit.event(4, EventType.CREATED));
        record.headers().add(EventHeaders.DERIVED_AT, EventHeaders.millis(derivedAt));
        engine.acceptEvent(record);
        event(0, 5, EventType.CREATED); // an event from before the header: not measured
        for (DeliveryEngine.Attempt attempt : engine.startable()) {
            engine.completed(attempt, OK, Duration.ofMillis(1));
        }

        Timer span = registry.get("bookhook.pipeline.latency").tag("span", "derived_to_delivered").timer();
        assertThat(span.count()).isOne();
        assertThat(span.totalTime(TimeUnit.MILLISECONDS)).isBetween(30.0, (double) (System.currentTimeMillis() - derivedAt));
    }

    @Test
    void a_delivery_the_index_has_delivered_is_skipped_and_one_it_has_failed_is_tried_again() {
        String delivered = DeliveryIds.forEvent("make", IdempotencyKey.of(4, EventType.CREATED));
        String failed = DeliveryIds.forEvent("make", IdempotencyKey.of(5, EventType.CREATED));
        index.put(0, entry(delivered, 4, DeliveryStatus.DELIVERED, 1, null, null));
        index.put(0, entry(failed, 5, DeliveryStatus.FAILED, 15, null, null));

        event(0, 4, EventType.CREATED);
        event(0, 5, EventType.CREATED);

        assertThat(keys(engine.startable())).containsExactly("appointment:5:created");
        CommitBatch batch = engine.drain();
        assertThat(ledger(batch)).extracting(r -> r.idempotencyKey() + " " + r.status().wireName() + " " + r.reason().wireName())
                .containsExactly("appointment:4:created skipped replay", "appointment:5:created pending replay");
    }

    @Test
    void a_backfilled_event_is_posted_only_when_not_delivered_and_recorded_with_reason_backfill() {
        String delivered = DeliveryIds.forEvent("make", IdempotencyKey.of(4, EventType.CREATED));
        String failed = DeliveryIds.forEvent("make", IdempotencyKey.of(5, EventType.CREATED));
        String waiting = DeliveryIds.forEvent("make", IdempotencyKey.of(7, EventType.CREATED));
        index.put(0, entry(delivered, 4, DeliveryStatus.DELIVERED, 1, null, null));
        index.put(0, entry(failed, 5, DeliveryStatus.FAILED, 15, null, null));
        index.put(0, entry(waiting, 7, DeliveryStatus.RETRYING, 2, clock.instant().plusSeconds(60), SinkTestKit.event(7, EventType.CREATED)));

        for (long appointment : new long[] {4, 5, 6, 7, 6}) {
            backfilled(0, appointment, EventType.CREATED);
        }

        assertThat(keys(engine.startable())).as("6 once though read twice; 7 keeps waiting for its due time")
                .containsExactlyInAnyOrder("appointment:5:created", "appointment:6:created");
        CommitBatch batch = engine.drain();
        assertThat(ledger(batch)).extracting(r -> r.idempotencyKey() + " " + r.status().wireName() + " " + r.reason().wireName())
                .containsExactlyInAnyOrder("appointment:4:created skipped backfill", "appointment:5:created pending backfill",
                        "appointment:6:created pending backfill");
    }

    private void backfilled(int partition, long appointment, EventType type) {
        long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPICS.appointmentEvents(), partition, offset,
                IdempotencyKey.of(appointment, type).toString(), SinkTestKit.event(appointment, type));
        record.headers().add(EventHeaders.REASON, EventHeaders.REASON_BACKFILL.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        engine.acceptEvent(record);
    }

    @Test
    void waiting_deliveries_resume_from_the_index_at_their_due_time_with_their_attempt_count_and_order() {
        String created = DeliveryIds.forEvent("make", IdempotencyKey.of(9, EventType.CREATED));
        String confirmed = DeliveryIds.forEvent("make", IdempotencyKey.of(9, EventType.CONFIRMED));
        index.put(0, entry(created, 9, DeliveryStatus.RETRYING, 3, clock.instant().plusSeconds(20), SinkTestKit.event(9, EventType.CREATED)));
        index.put(0, entry(confirmed, 9, DeliveryStatus.PENDING, 0, null, SinkTestKit.event(9, EventType.CONFIRMED)));
        DeliveryEngine restarted = new DeliveryEngine(
                List.of(new Endpoint("make", URI.create("https://hook.example/x"), 10, request -> OK)), CircuitSettings.DEFAULT, RETRY,
                Duration.ofMinutes(5), TOPICS, index, clock, new SinkMetrics(new SimpleMeterRegistry()));

        restarted.assigned(0, 0, 0);

        assertThat(restarted.startable()).as("before its due time").isEmpty();
        clock.advance(Duration.ofSeconds(20));
        List<DeliveryEngine.Attempt> resumed = restarted.startable();
        assertThat(keys(resumed)).containsExactly("appointment:9:created");
        assertThat(resumed.get(0).request().attempt()).as("attempt numbers continue").isEqualTo(4);
        assertThat(resumed.get(0).request().body()).isEqualTo(SinkTestKit.event(9, EventType.CREATED));
        restarted.completed(resumed.get(0), OK, Duration.ofMillis(1));
        assertThat(keys(restarted.startable())).containsExactly("appointment:9:confirmed");
    }

    @Test
    void the_circuit_opens_on_failures_then_only_one_probe_goes_per_interval_and_recovery_releases_waiting_retries_at_once() {
        engine = engine(100, new CircuitSettings(10, 50, Duration.ofSeconds(5)));
        for (int id = 1; id <= 200; id++) {
            event(id % 2, id, EventType.CREATED);
        }
        List<DeliveryEngine.Attempt> first = engine.startable();
        assertThat(first).hasSize(100);
        first.forEach(attempt -> engine.completed(attempt, REFUSED, Duration.ofMillis(1)));
        assertThat(engine.endpointStatus().get(0).circuit()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(5));
        assertThat(engine.startable()).as("open: nothing goes, nothing spends an attempt").isEmpty();
        clock.advance(Duration.ofMillis(1));
        List<DeliveryEngine.Attempt> probe = engine.startable();
        assertThat(probe).as("one probe").hasSize(1);
        assertThat(engine.startable()).as("no second attempt while the probe is out").isEmpty();
        engine.completed(probe.get(0), REFUSED, Duration.ofMillis(1));
        assertThat(engine.endpointStatus().get(0).circuit()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofMillis(5_001));
        List<DeliveryEngine.Attempt> secondProbe = engine.startable();
        assertThat(secondProbe).hasSize(1);
        engine.completed(secondProbe.get(0), OK, Duration.ofMillis(1));

        assertThat(engine.endpointStatus().get(0).circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
        List<DeliveryEngine.Attempt> afterRecovery = engine.startable();
        assertThat(afterRecovery).as("the slots fill again at once, retries of the outage included").hasSize(100);
        assertThat(afterRecovery).anySatisfy(a -> assertThat(a.request().attempt()).isEqualTo(2));
        assertThat(ledger(engine.drain())).noneMatch(r -> r.status() == DeliveryStatus.FAILED);
    }

    @Test
    void a_410_fails_that_delivery_and_holds_the_endpoint_for_the_gone_hold() {
        event(0, 1, EventType.CREATED);
        event(0, 2, EventType.CREATED);
        List<DeliveryEngine.Attempt> attempts = engine.startable();
        engine.completed(attempts.get(0), new AttemptResult(410, null, null, Verdict.FAILED, null), Duration.ofMillis(1));
        engine.completed(attempts.get(1), SERVER_ERROR, Duration.ofMillis(1));

        clock.advance(Duration.ofMinutes(5));
        assertThat(engine.startable()).as("held").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(keys(engine.startable())).containsExactly("appointment:2:created");
        assertThat(ledger(engine.drain())).filteredOn(r -> r.status() == DeliveryStatus.FAILED).singleElement()
                .satisfies(r -> assertThat(r.lastError()).contains("410"));
    }

    @Test
    void an_operator_retry_of_a_delivery_under_way_adds_no_second_attempt_and_one_of_a_failed_delivery_makes_one() {
        event(0, 7, EventType.CREATED);
        DeliveryEngine.Attempt first = engine.startable().get(0);
        engine.completed(first, SERVER_ERROR, Duration.ofMillis(1));
        String id = first.delivery().id;

        request(0, DeliveryRequest.retry("r-1", record(id, 7, DeliveryStatus.FAILED, 1), clock.instant()));
        assertThat(engine.startable()).as("the retrying delivery is not attempted alongside").isEmpty();

        event(0, 8, EventType.CREATED);
        DeliveryEngine.Attempt other = engine.startable().get(0);
        engine.completed(other, new AttemptResult(400, null, null, Verdict.FAILED, null), Duration.ofMillis(1));
        request(0, DeliveryRequest.retry("r-2", record(other.delivery().id, 8, DeliveryStatus.FAILED, 1), clock.instant()));
        List<DeliveryEngine.Attempt> manual = engine.startable();
        assertThat(keys(manual)).containsExactly("appointment:8:created");
        assertThat(manual.get(0).request().attempt()).isEqualTo(2);
        engine.completed(manual.get(0), SERVER_ERROR, Duration.ofMillis(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(keys(engine.startable())).as("a manual retry is one attempt, no schedule").doesNotContain("appointment:8:created");
    }

    @Test
    void a_record_that_is_not_an_event_is_dead_lettered_and_its_offset_passes() {
        engine.acceptEvent(new ConsumerRecord<>(TOPICS.appointmentEvents(), 0, 0, "garbage", "{not json".getBytes(UTF_8)));

        CommitBatch batch = engine.drain();

        assertThat(batch.records()).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo(TOPICS.deadLetter()));
        assertThat(batch.offsets().get(events(0)).offset()).isEqualTo(1);
    }

    @Test
    void a_parked_delivery_leaves_memory_once_its_batch_committed_and_is_read_back_for_its_attempt() {
        event(0, 1, EventType.CREATED);
        engine.completed(engine.startable().get(0), SERVER_ERROR, Duration.ofMillis(1));
        assertThat(engine.held()).isEqualTo(1);

        CommitBatch batch = engine.drain();
        index.apply(batch);
        engine.committed(batch);
        assertThat(engine.held()).as("bodies in memory").isZero();
        assertThat(engine.active()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        DeliveryEngine.Attempt again = engine.startable().get(0);
        assertThat(again.request().body()).isEqualTo(SinkTestKit.event(1, EventType.CREATED));
    }

    @Test
    void a_revoked_partition_starts_nothing_more_and_its_attempts_in_flight_still_record_their_outcome() {
        engine = engine(1, CircuitSettings.DEFAULT);
        event(0, 1, EventType.CREATED);
        event(0, 2, EventType.CREATED);
        List<DeliveryEngine.Attempt> started = engine.startable();
        assertThat(started).hasSize(1);

        engine.revoking(0);
        assertThat(engine.inFlight(0)).isEqualTo(1);
        engine.completed(started.get(0), OK, Duration.ofMillis(1));
        assertThat(engine.startable()).isEmpty();
        assertThat(engine.inFlight(0)).isZero();
        assertThat(ledger(engine.drain())).extracting(DeliveryRecord::status).contains(DeliveryStatus.DELIVERED);
    }

    @Test
    void each_event_goes_to_every_endpoint_whose_filters_match_as_a_delivery_of_its_own() {
        engine = engine(List.of(
                endpoint("created-only", new EventFilter(java.util.Set.of(EventType.CREATED), java.util.Set.of(), "salon_id"), 0),
                endpoint("salon-1", new EventFilter(java.util.Set.of(), java.util.Set.of("1"), "salon_id"), 0),
                endpoint("salon-999", new EventFilter(java.util.Set.of(), java.util.Set.of("999"), "salon_id"), 0)));
        eventAtSalon(0, 1, EventType.CREATED, 1);
        eventAtSalon(0, 1, EventType.CONFIRMED, 1);
        eventAtSalon(0, 2, EventType.CREATED, 2);

        List<DeliveryEngine.Attempt> attempts = engine.startable();

        assertThat(attempts).extracting(a -> a.endpoint().name() + " " + a.request().idempotencyKey())
                .containsExactlyInAnyOrder("created-only appointment:1:created", "created-only appointment:2:created",
                        "salon-1 appointment:1:created");
        attempts.forEach(a -> engine.completed(a, OK, Duration.ofMillis(1)));
        assertThat(keys(engine.startable())).as("salon 1's confirmed, after its created").containsExactly("appointment:1:confirmed");
        assertThat(attempts).extracting(a -> a.delivery().id).doesNotHaveDuplicates()
                .contains(DeliveryIds.forEvent("created-only", IdempotencyKey.of(1, EventType.CREATED)),
                        DeliveryIds.forEvent("salon-1", IdempotencyKey.of(1, EventType.CREATED)));
    }

    @Test
    void an_endpoint_that_is_down_never_delays_another() {
        engine = engine(List.of(endpoint("down", EventFilter.ALL, 0), endpoint("up", EventFilter.ALL, 0)));
        for (int id = 1; id <= 50; id++) {
            event(id % 2, id, EventType.CREATED);
        }
        int deliveredUp = 0;
        for (int round = 0; round < 20; round++) {
            for (DeliveryEngine.Attempt attempt : engine.startable()) {
                boolean down = attempt.endpoint().name().equals("down");
                engine.completed(attempt, down ? REFUSED : OK, Duration.ofMillis(1));
                deliveredUp += down ? 0 : 1;
            }
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(deliveredUp).isEqualTo(50);
        assertThat(engine.endpointStatus()).extracting(s -> s.endpoint() + " " + s.circuit())
                .containsExactly("down OPEN", "up CLOSED");
    }

    @Test
    void an_endpoint_that_is_down_spills_past_its_window_so_memory_and_offsets_never_wait_for_it_and_it_drains_in_order_later() {
        engine = new DeliveryEngine(List.of(endpoint("down", EventFilter.ALL, 0), endpoint("up", EventFilter.ALL, 0)),
                new CircuitSettings(10, 50, Duration.ofSeconds(5)), RETRY, Duration.ofMinutes(5), TOPICS, index, clock,
                new SinkMetrics(new SimpleMeterRegistry()), 400);
        engine.assigned(0, 0, 0);
        engine.assigned(1, 0, 0);
        int appointments = 500;
        java.util.Map<String, java.util.List<String>> order = new java.util.HashMap<>();
        int mostHeld = 0;
        for (int id = 1; id <= appointments; id++) {
            event(id % 2, id, EventType.CREATED);
            event(id % 2, id, EventType.CONFIRMED);
            mostHeld = Math.max(mostHeld, engine.held());
            round(order, true);
        }
        for (int i = 0; i < 20; i++) {
            round(order, true);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(order.getOrDefault("up", List.of())).hasSize(2 * appointments);
        assertThat(mostHeld).as("held in memory, at most: the down endpoint's window (200) plus what is in flight to up")
                .isLessThanOrEqualTo(200 + 100 + 2);
        CommitBatch last = engine.drain();
        index.apply(last);
        engine.committed(last);
        assertThat(last.offsets().get(events(0)).offset() + last.offsets().get(events(1)).offset())
                .as("offsets past every event, the spilled ones included").isEqualTo(2L * appointments);

        for (int i = 0; i < 200 && order.getOrDefault("down", List.of()).size() < 2 * appointments; i++) {
            round(order, false);
            clock.advance(Duration.ofSeconds(1));
        }
        List<String> down = order.get("down");
        assertThat(down).hasSize(2 * appointments).doesNotHaveDuplicates();
        for (int id = 1; id <= appointments; id++) {
            assertThat(down.indexOf("appointment:" + id + ":created")).as("appointment " + id + " in order")
                    .isLessThan(down.indexOf("appointment:" + id + ":confirmed"));
        }
    }

    /** One loop of the sink: attempts made and answered (the "down" endpoint refuses while {@code downIsDown}), then a commit. */
    private void round(java.util.Map<String, java.util.List<String>> delivered, boolean downIsDown) {
        for (DeliveryEngine.Attempt attempt : engine.startable()) {
            boolean refused = downIsDown && attempt.endpoint().name().equals("down");
            engine.completed(attempt, refused ? REFUSED : OK, Duration.ofMillis(1));
            if (!refused) {
                delivered.computeIfAbsent(attempt.endpoint().name(), k -> new java.util.ArrayList<>())
                        .add(attempt.request().idempotencyKey().toString());
            }
        }
        CommitBatch batch = engine.drain();
        index.apply(batch);
        engine.committed(batch);
    }

    @Test
    void a_rate_cap_spreads_an_endpoints_requests_over_time() {
        engine = engine(List.of(endpoint("capped", EventFilter.ALL, 5)));
        for (int id = 1; id <= 20; id++) {
            event(id % 2, id, EventType.CREATED);
        }

        assertThat(engine.startable()).as("a second's worth at once").hasSize(5);
        assertThat(engine.startable()).isEmpty();
        clock.advance(Duration.ofMillis(400));
        assertThat(engine.startable()).as("two more tokens after 0.4 s").hasSize(2);
    }

    // ---- helpers ----

    private static Endpoint endpoint(String name, EventFilter filter, double ratePerSecond) {
        return new Endpoint(name, URI.create("https://" + name + ".example/x"), 100, request -> OK, filter, ratePerSecond);
    }

    private DeliveryEngine engine(List<Endpoint> endpoints) {
        DeliveryEngine created = new DeliveryEngine(endpoints, new CircuitSettings(10, 50, Duration.ofSeconds(5)), RETRY,
                Duration.ofMinutes(5), TOPICS, index, clock, new SinkMetrics(new SimpleMeterRegistry()));
        created.assigned(0, 0, 0);
        created.assigned(1, 0, 0);
        return created;
    }

    private void eventAtSalon(int partition, long appointment, EventType type, long salon) {
        long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
        com.fasterxml.jackson.databind.node.ObjectNode row = Json.mapper().createObjectNode().put("id", appointment).put("salon_id", salon)
                .put("status", type == EventType.CREATED ? "pending" : "confirmed");
        byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(new io.bookhook.schemas.AppointmentEvent(type, IdempotencyKey.of(appointment, type).toString(),
                    Instant.parse("2026-11-28T10:00:00Z"), row, null, Json.mapper().createObjectNode().put("id", salon), null, null, List.of()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        engine.acceptEvent(new ConsumerRecord<>(TOPICS.appointmentEvents(), partition, offset, IdempotencyKey.of(appointment, type).toString(),
                value));
    }

    private void event(int partition, long appointment, EventType type) {
        event(engine, partition, appointment, type);
    }

    private void event(DeliveryEngine target, int partition, long appointment, EventType type) {
        long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
        target.acceptEvent(new ConsumerRecord<>(TOPICS.appointmentEvents(), partition, offset,
                IdempotencyKey.of(appointment, type).toString(), SinkTestKit.event(appointment, type)));
    }

    @Test
    void a_final_deliverys_ledger_record_loses_its_payload_once_kept_since_before_the_cutoff_and_nothing_else() {
        event(0, 1, EventType.CREATED);
        engine.completed(engine.startable().get(0), OK, Duration.ofMillis(5));
        CommitBatch delivered = commit();
        DeliveryRecord finalRecord = ledger(delivered).get(ledger(delivered).size() - 1);
        IndexEntry finalEntry = indexEntries(delivered).get(indexEntries(delivered).size() - 1);
        assertThat(finalRecord.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(finalRecord.payload()).isNotNull();
        assertThat(finalEntry.ledger()).as("the index keeps the final record without its payload").isEqualTo(finalRecord.withoutPayload());
        assertThat(finalEntry.payloadKeptSince()).isEqualTo(finalRecord.updatedAt());

        assertThat(engine.removePayloadsKeptBefore(finalRecord.updatedAt(), 100)).as("kept since the cutoff itself").isZero();
        clock.advance(Duration.ofDays(31));
        assertThat(engine.removePayloadsKeptBefore(clock.instant().minus(Duration.ofDays(30)), 100)).isEqualTo(1);
        CommitBatch aged = commit();

        assertThat(ledger(aged)).containsExactly(finalRecord.withoutPayload());
        assertThat(indexEntries(aged)).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(entry.attempts()).isEqualTo(finalEntry.attempts());
            assertThat(entry.ledger()).isNull();
            assertThat(entry.payloadKeptSince()).isNull();
        });
        assertThat(engine.removePayloadsKeptBefore(clock.instant(), 100)).as("nothing left to remove").isZero();
    }

    @Test
    void a_delivery_an_operator_retries_right_now_keeps_its_payload_until_a_later_sweep() throws Exception {
        DeliveryRecord failed = record(DeliveryIds.forEvent("make", IdempotencyKey.of(3, EventType.CREATED)), 3, DeliveryStatus.FAILED, 5);
        index.put(0, new IndexEntry(failed.deliveryId(), "make", failed.idempotencyKey(), DeliveryStatus.FAILED, 5, null,
                io.bookhook.schemas.DeliveryReason.EVENT, false, failed.createdAt(), null, failed.updatedAt(), failed.withoutPayload()));
        request(0, DeliveryRequest.retry("r-1", failed, clock.instant()));
        assertThat(engine.startable()).as("the retry is under way").hasSize(1);

        clock.advance(Duration.ofDays(31));
        assertThat(engine.removePayloadsKeptBefore(clock.instant(), 100)).isZero();
        assertThat(ledger(engine.drain())).noneMatch(r -> r.payload() == null);
    }

    @Test
    void a_forget_request_rewrites_a_final_record_without_its_payload_only_while_it_is_still_the_deliverys_state() throws Exception {
        DeliveryRecord asSeen = record(DeliveryIds.forEvent("make", IdempotencyKey.of(5, EventType.CREATED)), 5, DeliveryStatus.FAILED, 3);
        DeliveryRecord movedOn = record(DeliveryIds.forEvent("make", IdempotencyKey.of(6, EventType.CREATED)), 6, DeliveryStatus.FAILED, 3);
        index.put(0, new IndexEntry(asSeen.deliveryId(), "make", asSeen.idempotencyKey(), DeliveryStatus.FAILED, 3, null,
                io.bookhook.schemas.DeliveryReason.EVENT, false, asSeen.createdAt(), null, asSeen.updatedAt(), asSeen.withoutPayload()));
        // Retried by an operator since forget read it: failed again, one attempt more.
        index.put(0, new IndexEntry(movedOn.deliveryId(), "make", movedOn.idempotencyKey(), DeliveryStatus.FAILED, 4, null,
                io.bookhook.schemas.DeliveryReason.RETRY, false, movedOn.createdAt(), null));

        request(0, DeliveryRequest.forget("f-1", "5", List.of(asSeen), clock.instant()));
        request(0, DeliveryRequest.forget("f-2", "6", List.of(movedOn), clock.instant()));
        CommitBatch batch = commit();

        assertThat(ledger(batch)).containsExactly(asSeen.withoutPayload());
        assertThat(indexEntries(batch)).singleElement().satisfies(entry -> {
            assertThat(entry.deliveryId()).isEqualTo(asSeen.deliveryId());
            assertThat(entry.ledger()).as("nothing left to age out").isNull();
        });
        assertThat(engine.startable()).as("a forget posts nothing").isEmpty();
    }

    /** Drains, and applies to the index what a commit of that batch would. */
    private CommitBatch commit() {
        CommitBatch batch = engine.drain();
        index.apply(batch);
        engine.committed(batch);
        return batch;
    }

    private void request(int partition, DeliveryRequest request) {
        engine.acceptRequest(new ConsumerRecord<>(TOPICS.deliveryRequests(), partition, 0, request.kafkaKey(),
                JsonSerde.of(DeliveryRequest.class).serializer().serialize(TOPICS.deliveryRequests(), request)));
    }

    private static DeliveryRecord record(String id, long appointment, DeliveryStatus status, int attempts) {
        try {
            return DeliveryRecord.pending(id, "make", IdempotencyKey.of(appointment, EventType.CREATED), io.bookhook.schemas.DeliveryReason.EVENT,
                    Json.mapper().readTree(SinkTestKit.event(appointment, EventType.CREATED)), Instant.now())
                    .next(status, attempts, 500, null, null, Instant.now());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private IndexEntry entry(String id, long appointment, DeliveryStatus status, int attempts, Instant next, byte[] body) {
        EventType type = id.equals(DeliveryIds.forEvent("make", IdempotencyKey.of(appointment, EventType.CONFIRMED)))
                ? EventType.CONFIRMED : EventType.CREATED;
        return new IndexEntry(id, "make", IdempotencyKey.of(appointment, type).toString(), status, attempts, next,
                io.bookhook.schemas.DeliveryReason.EVENT, false, clock.instant().minusSeconds(type == EventType.CREATED ? 60 : 59), body);
    }

    private static TopicPartition events(int partition) {
        return new TopicPartition(TOPICS.appointmentEvents(), partition);
    }

    private static List<String> keys(List<DeliveryEngine.Attempt> attempts) {
        return attempts.stream().map(a -> a.request().idempotencyKey().toString()).toList();
    }

    private static List<DeliveryRecord> ledger(CommitBatch batch) {
        var values = JsonSerde.of(DeliveryRecord.class).deserializer();
        List<DeliveryRecord> records = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : batch.records()) {
            if (r.topic().equals(TOPICS.deliveryLedger())) {
                records.add(values.deserialize(r.topic(), r.value()));
            }
        }
        return records;
    }

    private static List<IndexEntry> indexEntries(CommitBatch batch) {
        return batch.indexWrites().stream().map(CommitBatch.IndexWrite::entry).toList();
    }

    /** The committed index as the engine sees it: entries by id, and waiting ones by endpoint and partition, oldest first. */
    static final class FakeIndex implements DeliveryLookup {
        private final Map<String, IndexEntry> entries = new HashMap<>();
        private final Map<String, Integer> partitions = new HashMap<>();

        void put(int partition, IndexEntry entry) {
            entries.put(entry.deliveryId(), entry);
            partitions.put(entry.deliveryId(), partition);
        }

        /** What applying a committed batch to the local store does. */
        void apply(CommitBatch batch) {
            batch.indexWrites().forEach(write -> put(write.partition(), write.entry()));
        }

        @Override
        public Optional<IndexEntry> get(String deliveryId) {
            return Optional.ofNullable(entries.get(deliveryId));
        }

        @Override
        public List<IndexEntry> waiting(String endpoint, int partition, int limit, java.util.function.Predicate<String> skip) {
            return entries.values().stream()
                    .filter(e -> e.waiting() && e.endpoint().equals(endpoint) && partitions.get(e.deliveryId()) == partition)
                    .filter(e -> !skip.test(e.deliveryId()))
                    .sorted(java.util.Comparator.comparing((IndexEntry e) -> e.createdAt()).thenComparing(e -> e.key().eventType().ordinal()))
                    .limit(limit).toList();
        }

        @Override
        public List<IndexEntry> payloadsKeptBefore(int partition, Instant cutoff, int limit) {
            return entries.values().stream()
                    .filter(e -> e.payloadKeptSince() != null && e.payloadKeptSince().isBefore(cutoff) && partitions.get(e.deliveryId()) == partition)
                    .sorted(java.util.Comparator.comparing(IndexEntry::payloadKeptSince)).limit(limit).toList();
        }
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
