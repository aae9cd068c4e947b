package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several endpoints on the real broker (RELIABILITY 32): each gets exactly what its filters select, signed with its own
 * secret, under delivery ids of its own; one that refuses connections for a minute never delays the others; one paused
 * stays paused through a restart and gets everything once when resumed.
 */
class EndpointsIT {

    private static final int PARTITIONS = 3;
    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private final SinkTestKit kit = new SinkTestKit(PARTITIONS);
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);

    @Test
    void three_endpoints_each_get_exactly_what_their_filters_select_signed_with_their_own_secret() {
        try (MockReceiver createdOnly = MockReceiver.start(MockReceiverConfig.defaults("created-secret"), quiet);
             MockReceiver salonOne = MockReceiver.start(MockReceiverConfig.defaults("salon-one-secret").withStandardSecrets(List.of(WHSEC)), quiet);
             MockReceiver salon999 = MockReceiver.start(MockReceiverConfig.defaults("salon-999-secret"), quiet)) {
            WebhookSink sink = WebhookSink.start(kit.settings(List.of(
                    endpoint("created-only", createdOnly, "created-secret", SignatureMode.MAKE, Set.of(EventType.CREATED), Set.of()),
                    endpoint("salon-1", salonOne, "salon-one-secret", SignatureMode.BOTH, Set.of(), Set.of("1")),
                    endpoint("salon-999", salon999, "salon-999-secret", SignatureMode.MAKE, Set.of(), Set.of("999")))).build());
            try {
                for (int id = 1; id <= 20; id++) {
                    long salon = id % 2 == 0 ? 1 : 2;
                    kit.produceEvent(id, EventType.CREATED, salon, PARTITIONS);
                    kit.produceEvent(id, EventType.CONFIRMED, salon, PARTITIONS);
                }
                // created-only: 20 created; salon-1: 10 appointments x 2 events; salon-999: nothing.
                Map<String, DeliveryRecord> ledger = kit.awaitSettled(20 + 20);

                assertThat(keys(createdOnly)).isEqualTo(expected(id -> true, EventType.CREATED));
                assertThat(keys(salonOne)).isEqualTo(expected(id -> id % 2 == 0, EventType.CREATED, EventType.CONFIRMED));
                assertThat(salon999.received()).isEmpty();
                assertThat(createdOnly.received()).allMatch(ReceivedRequest::signatureValid);
                assertThat(salonOne.received()).allMatch(ReceivedRequest::signatureValid)
                        .allSatisfy(r -> assertThat(r.header("webhook-signature")).startsWith("v1,"));
                List<String> ids = new ArrayList<>();
                createdOnly.received().forEach(r -> ids.add(r.header("X-Delivery-Id")));
                salonOne.received().forEach(r -> ids.add(r.header("X-Delivery-Id")));
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(ledger.values()).allMatch(r -> r.status() == DeliveryStatus.DELIVERED)
                        .extracting(DeliveryRecord::endpoint).containsOnly("created-only", "salon-1");
                assertThat(ledger.get(DeliveryIds.forEvent("salon-1", IdempotencyKey.of(2, EventType.CONFIRMED)))).isNotNull();
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void an_endpoint_refusing_connections_for_a_minute_never_delays_the_others() {
        Map<String, Instant> produced = new ConcurrentHashMap<>();
        MockReceiver down = MockReceiver.start(MockReceiverConfig.defaults("down-secret"), quiet);
        try (MockReceiver up = MockReceiver.start(MockReceiverConfig.defaults("up-secret"), quiet)) {
            EndpointSettings downEndpoint = endpoint("down", down, "down-secret", SignatureMode.MAKE, Set.of(), Set.of());
            down.close();
            WebhookSink sink = WebhookSink.start(kit.settings(List.of(downEndpoint,
                    endpoint("up", up, "up-secret", SignatureMode.MAKE, Set.of(), Set.of()))).build());
            try {
                // For a minute, an appointment every 0.5 s; the "down" endpoint refuses every connection meanwhile.
                long started = System.nanoTime();
                int id = 0;
                while (System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                    id++;
                    produced.put(IdempotencyKey.of(id, EventType.CREATED).toString(), Instant.now());
                    kit.produceEvent(id, EventType.CREATED, 1, PARTITIONS);
                    java.util.concurrent.locks.LockSupport.parkNanos(started + Duration.ofMillis(500).toNanos() * id - System.nanoTime());
                }
                int count = id;
                await().atMost(Duration.ofSeconds(30)).until(() -> up.deliveredCount() >= count);

                List<Long> lags = up.received().stream()
                        .map(r -> Duration.between(produced.get(r.header("X-Idempotency-Key")), r.at()).toMillis()).sorted().toList();
                long p99 = lags.get((int) Math.ceil(lags.size() * 0.99) - 1);
                long lost = count - up.received().stream().map(r -> r.header("X-Idempotency-Key")).distinct().count();
                System.out.printf("one of two endpoints down for 60 s: the other got %d of %d events, produce->receive p99 %d ms, max %d ms%n",
                        count - lost, count, p99, lags.get(lags.size() - 1));
                assertThat(lost).isZero();
                assertThat(p99).as("p99 produce->receive at the endpoint that is up, ms").isLessThan(2_000);
                assertThat(kit.ledger().values()).filteredOn(r -> "down".equals(r.endpoint()))
                        .as("the down endpoint's deliveries wait, none failed for the outage")
                        .allMatch(r -> r.status() == DeliveryStatus.PENDING || r.status() == DeliveryStatus.RETRYING);
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void a_paused_endpoint_waits_through_a_restart_and_on_resume_gets_everything_once() throws Exception {
        try (MockReceiver pausedOne = MockReceiver.start(MockReceiverConfig.defaults("p-secret"), quiet);
             MockReceiver other = MockReceiver.start(MockReceiverConfig.defaults("o-secret"), quiet)) {
            List<EndpointSettings> endpoints = List.of(endpoint("paused", pausedOne, "p-secret", SignatureMode.MAKE, Set.of(), Set.of()),
                    endpoint("other", other, "o-secret", SignatureMode.MAKE, Set.of(), Set.of()));
            control("paused", true);
            WebhookSink sink = WebhookSink.start(kit.settings(endpoints).build());
            for (int id = 1; id <= 10; id++) {
                kit.produceEvent(id, EventType.CREATED, 1, PARTITIONS);
            }
            await().atMost(SinkTestKit.WAIT).until(() -> other.deliveredCount() == 10);
            // Restarted while paused: the pause is read back before anything is attempted.
            sink.close();
            sink = WebhookSink.start(kit.settings(endpoints).build());
            for (int id = 11; id <= 20; id++) {
                kit.produceEvent(id, EventType.CREATED, 1, PARTITIONS);
            }
            await().atMost(SinkTestKit.WAIT).until(() -> other.deliveredCount() == 20);
            await().atMost(SinkTestKit.WAIT).until(() -> kit.ledger().values().stream()
                    .filter(r -> "paused".equals(r.endpoint()) && r.status() == DeliveryStatus.PENDING).count() == 20);
            assertThat(pausedOne.received()).as("nothing reaches a paused endpoint, not even a probe").isEmpty();
            try {
                control("paused", false);

                await().atMost(SinkTestKit.WAIT).until(() -> pausedOne.deliveredCount() >= 20);
                Map<String, DeliveryRecord> ledger = kit.awaitSettled(40);
                assertThat(ledger.values()).allMatch(r -> r.status() == DeliveryStatus.DELIVERED);
                assertThat(pausedOne.received()).extracting(r -> r.header("X-Idempotency-Key")).doesNotHaveDuplicates().hasSize(20);
                assertThat(other.received()).hasSize(20);
            } finally {
                sink.close();
            }
        }
    }

    /** What `bookhook pause` / `resume` write. */
    private void control(String endpoint, boolean paused) {
        kit.produceTo(kit.topics.endpointControl(), endpoint, io.bookhook.schemas.JsonSerde.of(io.bookhook.schemas.EndpointControl.class)
                .serializer().serialize(kit.topics.endpointControl(),
                        new io.bookhook.schemas.EndpointControl(endpoint, paused, java.util.UUID.randomUUID().toString(), Instant.now())));
    }

    private static EndpointSettings endpoint(String name, MockReceiver receiver, String secret, SignatureMode mode, Set<EventType> events,
                                             Set<String> salons) {
        return new EndpointSettings(EndpointSettings.Origin.FILE, name, receiver.url(), secret, mode,
                mode.standard() ? List.of(WHSEC) : List.of(), events, salons, 100, 0);
    }

    private static Set<String> keys(MockReceiver receiver) {
        return receiver.received().stream().map(r -> r.header("X-Idempotency-Key")).collect(Collectors.toSet());
    }

    private static Set<String> expected(java.util.function.IntPredicate appointments, EventType... types) {
        Set<String> keys = new java.util.HashSet<>();
        for (int id = 1; id <= 20; id++) {
            if (appointments.test(id)) {
                for (EventType type : types) {
                    keys.add(IdempotencyKey.of(id, type).toString());
                }
            }
        }
        return keys;
    }
}
