package io.bookhook.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EndpointReport;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's scheduling core, without Kafka clients or HTTP: it takes records, says which attempts to make, takes
 * their results, and hands out what to write in the next transaction. Used by the consumer thread only.
 *
 * <ul>
 *   <li><b>Order per appointment, parallel across appointments.</b> Deliveries of one appointment to one endpoint
 *   form a lane; only a lane's first delivery is attempted, so {@code created} goes before {@code confirmed} and a
 *   later one waits while an earlier one retries. Lanes run side by side, up to each endpoint's max in flight.</li>
 *   <li><b>Durable, non-blocking waits.</b> A delivery waiting for its next attempt is a due time in a queue, no
 *   thread. Its state (attempts, due time, body) goes to the delivery index, and so does every delivery queued behind
 *   it: then the record that caused it no longer holds the partition's offset back, and a restart reloads it.</li>
 *   <li><b>Offsets.</b> A record stays open while any delivery it caused is neither final nor parked; the committable
 *   offset is the lowest open one. What stays open is bounded: in flight (bounded by the request deadline), ready
 *   (bounded by the endpoint's capacity and circuit, and by the caller pausing partitions at {@link #held()}).</li>
 *   <li><b>Endpoint health.</b> Each endpoint's circuit breaker lets deliveries wait without spending attempts while
 *   it is open; one probe goes out per interval; when it closes, waiting retries of that endpoint go at once.</li>
 *   <li><b>One endpoint never holds back another.</b> With several endpoints, each holds at most its share of memory
 *   ({@link #window}); past it, its new deliveries are parked in the delivery index only (spilled) and read back in
 *   the order they were made as it drains, so an endpoint down for an hour neither fills memory nor pins offsets.</li>
 * </ul>
 */
final class DeliveryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    /** An attempt the engine wants made; the caller posts it and hands the result to {@link #completed}. */
    record Attempt(Delivery delivery, Endpoint endpoint, WebhookRequest request) {
    }

    /** What an operator or a metric sees of one endpoint right now. */
    record EndpointStatus(String endpoint, CircuitBreaker.State circuit, int inFlight, int waiting) {
    }

    private record LaneKey(String endpoint, String appointmentId) {
    }

    private final Map<String, EndpointQueue> endpoints = new LinkedHashMap<>();
    private final TopicNames topics;
    private final RetryPlan retry;
    private final Duration goneHold;
    private final DeliveryLookup index;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final LedgerRecords ledgerRecords;
    private final Serializer<IndexEntry> indexValues = JsonSerde.of(IndexEntry.class).serializer();
    private final Serializer<EndpointReport> reportValues = JsonSerde.of(EndpointReport.class).serializer();

    private final Map<String, Delivery> active = new HashMap<>();
    private final Map<String, Delivery> doneUncommitted = new HashMap<>();
    private final Map<LaneKey, ArrayDeque<Delivery>> lanes = new HashMap<>();
    private final PriorityQueue<Delivery> due = new PriorityQueue<>(Comparator.comparing((Delivery d) -> d.nextAttemptAt));
    private final Map<TopicPartition, OffsetTracker> offsets = new HashMap<>();
    private final Set<Integer> owned = new HashSet<>();
    private Writes writes = new Writes();
    private long drains;
    private int inMemory;
    private final int maxBuffered;
    /** Spilled deliveries whose index entry has not committed yet: waiting, but not yet readable from the index. */
    private final Map<String, Delivery> spilledUncommitted = new HashMap<>();

    DeliveryEngine(List<Endpoint> endpoints, CircuitSettings circuit, RetrySchedule retry, Duration goneHold, TopicNames topics,
                   DeliveryLookup index, Clock clock, SinkMetrics metrics) {
        this(endpoints, circuit, retry, goneHold, topics, index, clock, metrics, SinkSettings.DEFAULT_MAX_BUFFERED);
    }

    /** {@code maxBuffered}: deliveries held in memory in all; with several endpoints, each gets a share of it. */
    DeliveryEngine(List<Endpoint> endpoints, CircuitSettings circuit, RetrySchedule retry, Duration goneHold, TopicNames topics,
                   DeliveryLookup index, Clock clock, SinkMetrics metrics, int maxBuffered) {
        for (Endpoint endpoint : endpoints) {
            CircuitBreaker breaker = circuit.breaker(endpoint.name(), clock);
            breaker.getEventPublisher().onStateTransition(event -> LOG.warn("endpoint {}: circuit {} ({})", endpoint.name(),
                    event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT), describe(event.getStateTransition())));
            this.endpoints.put(endpoint.name(), new EndpointQueue(endpoint, breaker, new TokenBucket(endpoint.ratePerSecond(), clock.instant())));
        }
        this.topics = topics;
        this.retry = new RetryPlan(retry);
        this.goneHold = goneHold;
        this.index = index;
        this.clock = clock;
        this.metrics = metrics;
        this.ledgerRecords = new LedgerRecords(topics.deliveryLedger());
        this.maxBuffered = maxBuffered;
    }

    private static String describe(CircuitBreaker.StateTransition transition) {
        return switch (transition.getToState()) {
            case OPEN -> "most recent attempts failed: deliveries wait without spending attempts, one probe per interval";
            case HALF_OPEN -> "sending one probe";
            case CLOSED -> "the endpoint answers again: waiting deliveries go now";
            default -> transition.toString();
        };
    }

    // ---- partitions -------------------------------------------------------------------------------------------

    /**
     * This sink now owns partition {@code partition} of the events and requests topics: their records are read from
     * the given positions, and the deliveries its previous owner left waiting are resumed.
     */
    void assigned(int partition, long eventsPosition, long requestsPosition) {
        owned.add(partition);
        offsets.put(new TopicPartition(topics.appointmentEvents(), partition), new OffsetTracker(eventsPosition));
        offsets.put(new TopicPartition(topics.deliveryRequests(), partition), new OffsetTracker(requestsPosition));
        int resumed = 0;
        for (EndpointQueue endpoint : endpoints.values()) {
            resumed += readBack(endpoint, partition, window(endpoint) - endpoint.held);
        }
        if (resumed > 0) {
            LOG.info("partition {}: resumed {} waiting deliveries from the delivery index", partition, resumed);
        }
    }

    /**
     * The deliveries an endpoint holds in memory before it spills: with one endpoint, everything up to the sink's bound
     * (then the sink pauses its partitions, and the events topic is the queue); with several, a share each, so one that
     * is down or slow never stops the sink from reading events for the others.
     */
    int window(EndpointQueue endpoint) {
        return endpoints.size() == 1 ? Integer.MAX_VALUE
                : Math.max(2 * endpoint.endpoint.maxInFlight(), maxBuffered / endpoints.size());
    }

    /**
     * Reads back up to {@code room} of the endpoint's waiting deliveries of {@code partition}, oldest first, and says how
     * many; when fewer were there, the endpoint has nothing spilled in that partition any more.
     */
    private int readBack(EndpointQueue endpoint, int partition, int room) {
        if (room <= 0) {
            endpoint.spilled.add(partition);
            return 0;
        }
        List<IndexEntry> entries = index.waiting(endpoint.name(), partition, room,
                id -> active.containsKey(id) || doneUncommitted.containsKey(id) || spilledUncommitted.containsKey(id));
        int resumed = 0;
        for (IndexEntry entry : entries) {
            if (resume(partition, entry)) {
                resumed++;
            }
        }
        if (entries.size() < room) {
            endpoint.spilled.remove(partition);
        } else {
            endpoint.spilled.add(partition);
        }
        return resumed;
    }

    /** Stops starting deliveries of {@code partition}; those in flight finish and are recorded. */
    void revoking(int partition) {
        owned.remove(partition);
        for (Delivery d : List.copyOf(active.values())) {
            if (d.partition == partition && d.state != Delivery.State.IN_FLIGHT) {
                drop(d);
            }
        }
    }

    int inFlight(int partition) {
        return (int) active.values().stream().filter(d -> d.partition == partition && d.state == Delivery.State.IN_FLIGHT).count();
    }

    /** Forgets everything of {@code partition}: after its last writes committed, or when it was lost to another owner. */
    void forget(int partition) {
        owned.remove(partition);
        for (Delivery d : List.copyOf(active.values())) {
            if (d.partition == partition) {
                drop(d);
            }
        }
        doneUncommitted.values().removeIf(d -> d.partition == partition);
        spilledUncommitted.values().removeIf(d -> d.partition == partition);
        endpoints.values().forEach(endpoint -> endpoint.spilled.remove(partition));
        offsets.keySet().removeIf(tp -> tp.partition() == partition);
        writes.forget(partition);
    }

    // ---- input ------------------------------------------------------------------------------------------------

    /** An appointment event: a delivery to each endpoint, unless the index has it delivered or waiting already. */
    void acceptEvent(ConsumerRecord<String, byte[]> record) {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = tracker(source);
        tracker.hold(record.offset());
        try {
            EventReader.Read read = EventReader.read(record.value());
            if (read instanceof EventReader.Invalid invalid) {
                LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), invalid.reason());
                metrics.deadLettered();
                writes.deadLetter(DeadLetters.of(record, invalid.reason(), topics.deadLetter()));
                return;
            }
            EventReader.Valid event = (EventReader.Valid) read;
            for (EndpointQueue endpoint : endpoints.values()) {
                if (endpoint.endpoint.filter().accepts(event.key().eventType(), event.payload())) {
                    considerEvent(endpoint, event, record, source);
                }
            }
        } finally {
            tracker.release(record.offset());
        }
    }

    private void considerEvent(EndpointQueue endpoint, EventReader.Valid event, ConsumerRecord<String, byte[]> record, TopicPartition source) {
        String id = DeliveryIds.forEvent(endpoint.name(), event.key());
        if (active.containsKey(id)) {
            LOG.debug("{} read again while its delivery {} is under way", event.key(), id);
            return;
        }
        // A backfilled event shares its delivery id with the stream's event of the same key: what was delivered either
        // way is skipped, what waits is joined, and only what never went out (or failed) is posted.
        Header reasonHeader = record.headers().lastHeader(EventHeaders.REASON);
        boolean backfill = reasonHeader != null && EventHeaders.isBackfill(reasonHeader.value());
        Known known = known(id);
        if (known.status() == DeliveryStatus.DELIVERED) {
            String skipId = DeliveryIds.forSkip(endpoint.name(), event.key(), DeadLetters.source(record));
            LOG.info("skipping {} read again at {}: the ledger has it delivered to {}", event.key(), DeadLetters.source(record), endpoint.name());
            Instant now = clock.instant();
            writes.ledger(DeliveryRecord.pending(skipId, endpoint.name(), event.key(), backfill ? DeliveryReason.BACKFILL : DeliveryReason.REPLAY,
                            event.payload(), now)
                    .next(DeliveryStatus.SKIPPED, 0, null, "already delivered", null, now));
            writes.count(endpoint.name(), CommitBatch.Outcomes.SKIPPED);
            return;
        }
        if (known.waiting() != null) {
            resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        DeliveryReason reason = backfill ? DeliveryReason.BACKFILL
                : known.status() == DeliveryStatus.FAILED ? DeliveryReason.REPLAY : DeliveryReason.EVENT;
        Delivery delivery = new Delivery(id, endpoint.name(), event.key(), source.partition(), reason, false, clock.instant(),
                record.value(), event.payload(), 0);
        Header derivedAt = record.headers().lastHeader(EventHeaders.DERIVED_AT);
        delivery.derivedAtMillis = derivedAt == null ? 0 : EventHeaders.millis(derivedAt.value()).orElse(0);
        start(delivery, source, record.offset());
    }

    /** An operator's retry or resend, read from the requests partition that matches the appointment's event partition. */
    void acceptRequest(ConsumerRecord<String, byte[]> record) {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = tracker(source);
        tracker.hold(record.offset());
        try {
            DeliveryRequest request;
            try {
                request = JsonSerde.of(DeliveryRequest.class).deserializer().deserialize(record.topic(), record.value());
                if (request == null) {
                    throw new IllegalArgumentException("empty value");
                }
            } catch (SerializationException | IllegalArgumentException | NullPointerException unreadable) {
                String reason = "not a delivery request: " + unreadable.getMessage();
                LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), reason);
                metrics.deadLettered();
                writes.deadLetter(DeadLetters.of(record, reason, topics.deadLetter()));
                return;
            }
            for (DeliveryRequest.Item item : request.items()) {
                if (request.action() == DeliveryRequest.Action.RETRY) {
                    retry(request, item, source, record.offset());
                } else {
                    for (EndpointQueue endpoint : targets(item)) {
                        resend(request, item, endpoint, source, record.offset());
                    }
                }
            }
        } finally {
            tracker.release(record.offset());
        }
    }

    private void retry(DeliveryRequest request, DeliveryRequest.Item item, TopicPartition source, long offset) {
        String id = item.deliveryId();
        Delivery underway = active.get(id);
        if (underway != null) {
            LOG.info("request {}: delivery {} ({}) is under way ({}, {} attempt(s) so far); it gets no second attempt alongside",
                    request.requestId(), id, item.idempotencyKey(), underway.state.name().toLowerCase(Locale.ROOT), underway.attempts);
            return;
        }
        Known known = known(id);
        if (known.status() == DeliveryStatus.DELIVERED) {
            LOG.info("request {}: {} is delivered already; a retry would send it twice, nothing to do", request.requestId(), item.idempotencyKey());
            return;
        }
        if (known.waiting() != null) {
            resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        String endpointName = known.endpoint() != null ? known.endpoint() : item.endpoint() != null ? item.endpoint() : Endpoint.DEFAULT_NAME;
        EndpointQueue endpoint = endpoints.get(endpointName);
        if (endpoint == null) {
            LOG.warn("request {}: delivery {} is for endpoint '{}', which this sink does not have; nothing sent", request.requestId(), id,
                    endpointName);
            return;
        }
        int attempts = Math.max(item.attemptsSoFar(), known.attempts());
        Delivery delivery = new Delivery(id, endpoint.name(), item.key(), source.partition(), DeliveryReason.RETRY, true, clock.instant(),
                body(item.payload()), item.payload(), attempts);
        start(delivery, source, offset);
    }

    private void resend(DeliveryRequest request, DeliveryRequest.Item item, EndpointQueue endpoint, TopicPartition source, long offset) {
        String id = DeliveryIds.forResend(request.requestId(), endpoint.name(), item.key());
        if (active.containsKey(id)) {
            return;
        }
        Known known = known(id);
        if (known.waiting() != null) {
            resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        if (known.status() != null) {
            LOG.info("request {}: resend {} of {} to {} was carried out already", request.requestId(), id, item.idempotencyKey(), endpoint.name());
            return;
        }
        Delivery delivery = new Delivery(id, endpoint.name(), item.key(), source.partition(), DeliveryReason.RESEND, false, clock.instant(),
                body(item.payload()), item.payload(), 0);
        start(delivery, source, offset);
    }

    /** The endpoint a resend names, or every endpoint whose filters accept the event. */
    private List<EndpointQueue> targets(DeliveryRequest.Item item) {
        if (item.endpoint() == null) {
            return endpoints.values().stream().filter(e -> e.endpoint.filter().accepts(item.key().eventType(), item.payload())).toList();
        }
        EndpointQueue endpoint = endpoints.get(item.endpoint());
        if (endpoint == null) {
            LOG.warn("resend of {} names endpoint '{}', which this sink does not have; nothing sent", item.idempotencyKey(), item.endpoint());
            return List.of();
        }
        return List.of(endpoint);
    }

    /** A waiting delivery read again joins its lane, unless its endpoint has spilled that partition: then it is read back in its turn. */
    private void resumeUnlessSpilled(int partition, IndexEntry entry) {
        EndpointQueue endpoint = endpoints.get(entry.endpoint());
        if (endpoint == null || !endpoint.spilled.contains(partition)) {
            resume(partition, entry);
        }
    }

    /** What this sink knows of a delivery that is not under way: from its own uncommitted outcome, else the index. */
    private record Known(DeliveryStatus status, IndexEntry waiting, String endpoint, int attempts) {
    }

    private Known known(String id) {
        Delivery done = doneUncommitted.get(id);
        if (done != null) {
            return new Known(done.outcome, null, done.endpoint, done.attempts);
        }
        if (spilledUncommitted.containsKey(id)) {
            // Waiting in the index as soon as its batch commits; read back from there in its turn.
            return new Known(DeliveryStatus.PENDING, null, spilledUncommitted.get(id).endpoint, 0);
        }
        Optional<IndexEntry> entry = index.get(id);
        if (entry.isEmpty()) {
            return new Known(null, null, null, 0);
        }
        IndexEntry e = entry.get();
        return new Known(e.status(), e.waiting() ? e : null, e.endpoint(), e.attempts());
    }

    /** A waiting delivery from the index joins its lane; its body stays on disk until its attempt. False if not resumable. */
    private boolean resume(int partition, IndexEntry entry) {
        if (active.containsKey(entry.deliveryId()) || doneUncommitted.containsKey(entry.deliveryId())) {
            return false;
        }
        if (!endpoints.containsKey(entry.endpoint())) {
            LOG.warn("delivery {} ({}) waits for endpoint '{}', which this sink does not have; it stays waiting in the index",
                    entry.deliveryId(), entry.idempotencyKey(), entry.endpoint());
            return false;
        }
        Delivery delivery = new Delivery(entry.deliveryId(), entry.endpoint(), entry.key(), partition, entry.reason(), entry.singleAttempt(),
                entry.createdAt() == null ? clock.instant() : entry.createdAt(), null, null, entry.attempts());
        delivery.nextAttemptAt = entry.nextAttemptAt();
        delivery.parked = true;
        enqueue(delivery);
        return true;
    }

    /**
     * A new delivery: recorded pending, holding its source record open until it is final or parked; or, when its
     * endpoint holds its window already (or has spilled this partition), parked in the index only.
     */
    private void start(Delivery delivery, TopicPartition source, long offset) {
        writes.ledger(delivery.ledgerRecord(DeliveryStatus.PENDING, clock.instant()));
        EndpointQueue endpoint = endpoint(delivery);
        if (endpoint.spilled.contains(delivery.partition) || endpoint.held >= window(endpoint)) {
            endpoint.spilled.add(delivery.partition);
            delivery.state = Delivery.State.QUEUED;
            writes.index(delivery, delivery.indexEntry(DeliveryStatus.PENDING));
            spilledUncommitted.put(delivery.id, delivery);
            writes.spilled.add(delivery);
            return;
        }
        delivery.source = source;
        delivery.sourceOffset = offset;
        tracker(source).hold(offset);
        enqueue(delivery);
    }

    private void enqueue(Delivery delivery) {
        active.put(delivery.id, delivery);
        endpoint(delivery).held++;
        if (delivery.inMemory()) {
            inMemory++;
        }
        ArrayDeque<Delivery> lane = lanes.computeIfAbsent(new LaneKey(delivery.endpoint, delivery.key.appointmentId()), k -> new ArrayDeque<>());
        lane.addLast(delivery);
        if (lane.size() == 1) {
            becomeFirst(delivery);
        } else {
            delivery.state = Delivery.State.QUEUED;
            if (lane.peekFirst().state == Delivery.State.WAITING && !delivery.parked) {
                park(delivery);
            }
        }
    }

    private void becomeFirst(Delivery delivery) {
        if (delivery.nextAttemptAt != null && delivery.nextAttemptAt.isAfter(clock.instant())) {
            delivery.state = Delivery.State.WAITING;
            due.add(delivery);
        } else {
            delivery.state = Delivery.State.READY;
            endpoint(delivery).ready.addLast(delivery);
        }
    }

    // ---- attempts ---------------------------------------------------------------------------------------------

    /**
     * The attempts to make now: due retries become ready; each endpoint takes ready ones while it has slots, its rate
     * cap allows, and its circuit lets it.
     */
    List<Attempt> startable() {
        Instant now = clock.instant();
        while (!due.isEmpty() && !due.peek().nextAttemptAt.isAfter(now)) {
            Delivery d = due.poll();
            if (d.state == Delivery.State.WAITING) {
                d.state = Delivery.State.READY;
                endpoint(d).ready.addLast(d);
            }
        }
        List<Attempt> attempts = new ArrayList<>();
        for (EndpointQueue endpoint : endpoints.values()) {
            if (!endpoint.spilled.isEmpty() && endpoint.held < window(endpoint) / 2) {
                for (int partition : List.copyOf(endpoint.spilled)) {
                    readBack(endpoint, partition, window(endpoint) - endpoint.held);
                }
            }
            if (endpoint.unavailable()) {
                // Its deliveries may wait a long time: make them durable, so their events' offsets need not wait with them.
                for (Delivery d : endpoint.ready) {
                    if (d.state == Delivery.State.READY && !d.parked) {
                        parkWithFollowers(d);
                    }
                }
            }
            while (!endpoint.paused && endpoint.hasSlot() && !endpoint.ready.isEmpty()) {
                Delivery d = endpoint.ready.peekFirst();
                if (d.state != Delivery.State.READY) {
                    endpoint.ready.pollFirst();
                    continue;
                }
                if (!endpoint.rate.available(now) || !endpoint.circuit.tryAcquirePermission()) {
                    break;
                }
                endpoint.rate.take();
                endpoint.ready.pollFirst();
                attempts.add(attempt(endpoint, d));
            }
        }
        return attempts;
    }

    private Attempt attempt(EndpointQueue endpoint, Delivery d) {
        if (!d.inMemory()) {
            IndexEntry entry = index.get(d.id).filter(e -> e.body() != null).orElseThrow(() -> new IllegalStateException(
                    "the delivery index has no body for waiting delivery " + d.id + " (" + d.key + ")"));
            d.body = entry.body();
            d.payload = readTree(entry.body());
            inMemory++;
        }
        d.state = Delivery.State.IN_FLIGHT;
        endpoint.inFlight++;
        return new Attempt(d, endpoint.endpoint, new WebhookRequest(endpoint.endpoint.url(), d.body, d.key, d.id, d.attempts + 1));
    }

    /** The result of an attempt {@link #startable} asked for. */
    void completed(Attempt attempt, AttemptResult result, Duration took) {
        Delivery d = attempt.delivery();
        EndpointQueue endpoint = endpoint(d);
        endpoint.inFlight--;
        CircuitBreaker.State before = endpoint.circuit.getState();
        endpoint.record(result, took);
        metrics.attempt(endpoint.name(), result.verdict(), took);
        if (before != CircuitBreaker.State.CLOSED && endpoint.circuit.getState() == CircuitBreaker.State.CLOSED) {
            bringForward(endpoint);
        }
        if (d.state != Delivery.State.IN_FLIGHT) {
            return;
        }
        d.attempts = attempt.request().attempt();
        d.last = result;
        Instant now = clock.instant();
        if (result.verdict() != Verdict.DELIVERED) {
            endpoint.lastError = result.describe();
            endpoint.lastErrorAt = now;
        }
        if (result.verdict() == Verdict.DELIVERED) {
            metrics.delivered(endpoint.name(), d.payload, d.derivedAtMillis);
            LOG.debug("delivered {} to {} as {} after {} attempt(s)", d.key, d.endpoint, d.id, d.attempts);
            finish(d, DeliveryStatus.DELIVERED);
        } else if (result.gone()) {
            endpoint.circuit.transitionToOpenStateUntil(now.plus(goneHold));
            LOG.warn("endpoint {} answered 410 Gone to {}: holding its deliveries for {}", endpoint.name(), d.id, goneHold);
            d.last = result.withError("endpoint gone (410): the receiver paused or removed it; deliveries held for " + goneHold
                    + ", this one stays retryable");
            finish(d, DeliveryStatus.FAILED);
        } else if (d.singleAttempt || result.verdict() == Verdict.FAILED) {
            fail(d);
        } else {
            Optional<Duration> wait = retry.next(d.attempts, result);
            if (wait.isEmpty()) {
                fail(d);
                return;
            }
            d.nextAttemptAt = now.plus(wait.get());
            d.state = Delivery.State.WAITING;
            due.add(d);
            LOG.info("delivery {} ({} to {}) attempt {} got {}; retrying in {} ms", d.id, d.key, d.endpoint, d.attempts, result.describe(),
                    wait.get().toMillis());
            writes.ledger(d.ledgerRecord(DeliveryStatus.RETRYING, now));
            parkWithFollowers(d);
            if (!owned.contains(d.partition)) {
                // Its partition is leaving: the waiting state is durable now and the next owner resumes it.
                drop(d);
            }
        }
    }

    private void fail(Delivery d) {
        LOG.warn("failed {} to {} as {} after {} attempt(s): {}", d.key, d.endpoint, d.id, d.attempts, d.last.describe());
        finish(d, DeliveryStatus.FAILED);
    }

    /** An endpoint that recovered gets its waiting retries now: they waited for the endpoint, not for their payload. */
    private void bringForward(EndpointQueue endpoint) {
        Instant now = clock.instant();
        List<Delivery> all = new ArrayList<>(due);
        due.clear();
        int moved = 0;
        for (Delivery d : all) {
            if (d.endpoint.equals(endpoint.name()) && d.state == Delivery.State.WAITING && d.nextAttemptAt.isAfter(now)) {
                d.nextAttemptAt = now;
                moved++;
            }
        }
        due.addAll(all);
        if (moved > 0) {
            LOG.info("endpoint {} answers again: {} waiting retries go now", endpoint.name(), moved);
        }
    }

    private void finish(Delivery d, DeliveryStatus outcome) {
        d.state = Delivery.State.DONE;
        d.outcome = outcome;
        Instant now = clock.instant();
        writes.ledger(d.ledgerRecord(outcome, now));
        writes.index(d, d.indexEntry(outcome));
        writes.count(d.endpoint, outcome == DeliveryStatus.DELIVERED ? CommitBatch.Outcomes.DELIVERED : CommitBatch.Outcomes.FAILED);
        writes.done.add(d);
        release(d);
        active.remove(d.id);
        doneUncommitted.put(d.id, d);
        endpoint(d).held--;
        forgetBody(d);
        ArrayDeque<Delivery> lane = lane(d);
        lane.remove(d);
        Delivery next = lane.peekFirst();
        if (next == null) {
            lanes.remove(new LaneKey(d.endpoint, d.key.appointmentId()));
        } else if (next.state == Delivery.State.QUEUED) {
            becomeFirst(next);
        }
    }

    /** The delivery (its state as it is now) and every delivery queued behind it become durable in the index. */
    private void parkWithFollowers(Delivery d) {
        park(d);
        for (Delivery follower : lane(d)) {
            if (follower != d && !follower.parked) {
                park(follower);
            }
        }
    }

    /** Its waiting state goes to the index; from then on its source record no longer needs to stay open. */
    private void park(Delivery d) {
        d.parked = true;
        d.parkedInDrain = drains + 1;
        writes.index(d, d.indexEntry(d.waitingStatus()));
        writes.parked.add(d);
        release(d);
    }

    private void release(Delivery d) {
        if (d.source != null) {
            OffsetTracker tracker = offsets.get(d.source);
            if (tracker != null) {
                tracker.release(d.sourceOffset);
            }
            d.source = null;
        }
    }

    private void drop(Delivery d) {
        d.state = Delivery.State.DROPPED;
        active.remove(d.id);
        endpoint(d).held--;
        forgetBody(d);
        d.source = null;
        ArrayDeque<Delivery> lane = lanes.get(new LaneKey(d.endpoint, d.key.appointmentId()));
        if (lane != null) {
            lane.remove(d);
            if (lane.isEmpty()) {
                lanes.remove(new LaneKey(d.endpoint, d.key.appointmentId()));
            }
        }
    }

    private void forgetBody(Delivery d) {
        if (d.inMemory()) {
            inMemory--;
        }
        d.body = null;
        d.payload = null;
    }

    // ---- writes -----------------------------------------------------------------------------------------------

    /** Everything to write in the next transaction, with the offset of every open input partition. */
    CommitBatch drain() {
        drains++;
        Writes drained = writes;
        writes = new Writes();
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        offsets.forEach((tp, tracker) -> committable.put(tp, new OffsetAndMetadata(tracker.committable())));
        return drained.toBatch(drains, committable);
    }

    /** The batch is committed: its final outcomes are in the index, and parked deliveries may leave memory. */
    void committed(CommitBatch batch) {
        for (Delivery d : batch.done()) {
            doneUncommitted.remove(d.id, d);
        }
        for (Delivery d : batch.spilled()) {
            spilledUncommitted.remove(d.id, d);
        }
        for (Delivery d : batch.parked()) {
            boolean stillWaiting = d.state == Delivery.State.WAITING || d.state == Delivery.State.QUEUED;
            if (stillWaiting && d.parkedInDrain <= batch.number()) {
                forgetBody(d);
            }
        }
    }

    // ---- what the loop and the metrics ask --------------------------------------------------------------------

    /** Deliveries holding their body in memory: the caller pauses its partitions while this is at its bound. */
    int held() {
        return inMemory;
    }

    /** Deliveries not yet final, in memory or waiting with their body on disk. */
    int active() {
        return active.size();
    }

    /** When the earliest waiting delivery is due; empty when none waits. */
    Optional<Instant> nextDue() {
        while (!due.isEmpty() && due.peek().state != Delivery.State.WAITING) {
            due.poll();
        }
        return due.isEmpty() ? Optional.empty() : Optional.of(due.peek().nextAttemptAt);
    }

    /** Records read but not done with, per partition: what a crash would make the next owner read again. */
    Map<TopicPartition, Integer> openRecords() {
        Map<TopicPartition, Integer> open = new HashMap<>();
        offsets.forEach((tp, tracker) -> open.put(tp, tracker.openCount()));
        return open;
    }

    /** An operator paused or resumed an endpoint (unknown names are ignored: another sink's endpoint, or a typo). */
    void setPaused(String endpoint, boolean paused) {
        EndpointQueue queue = endpoints.get(endpoint);
        if (queue != null && queue.paused != paused) {
            queue.paused = paused;
            LOG.warn("endpoint {} {} by an operator{}", endpoint, paused ? "paused" : "resumed",
                    paused ? ": its deliveries wait, nothing is attempted" : ": what waited goes now");
        }
    }

    /** Each endpoint's state as this instance sees it, for {@code bookhook.endpoint-status}; written with the next commit. */
    void report(String instance) {
        Instant now = clock.instant();
        for (EndpointQueue e : endpoints.values()) {
            EndpointReport report = new EndpointReport(e.name(), instance, e.endpoint.target(),
                    e.endpoint.filter().events().stream().map(EventType::wireName).sorted().toList(),
                    e.endpoint.filter().salons().stream().sorted().toList(), e.circuit.getState().name().toLowerCase(Locale.ROOT),
                    e.paused, e.inFlight, e.held - e.inFlight, !e.spilled.isEmpty(), e.lastError, e.lastErrorAt, now);
            writes.records.add(new ProducerRecord<>(topics.endpointStatus(), report.kafkaKey(),
                    reportValues.serialize(topics.endpointStatus(), report)));
        }
    }

    List<EndpointStatus> endpointStatus() {
        return endpoints.values().stream()
                .map(e -> new EndpointStatus(e.name(), e.circuit.getState(), e.inFlight, e.held - e.inFlight)).toList();
    }

    Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    private OffsetTracker tracker(TopicPartition source) {
        OffsetTracker tracker = offsets.get(source);
        if (tracker == null) {
            throw new IllegalStateException("a record of " + source + " arrived, which this sink was not assigned");
        }
        return tracker;
    }

    private EndpointQueue endpoint(Delivery d) {
        return endpoints.get(d.endpoint);
    }

    private ArrayDeque<Delivery> lane(Delivery d) {
        return lanes.get(new LaneKey(d.endpoint, d.key.appointmentId()));
    }

    private static byte[] body(JsonNode payload) {
        try {
            return Json.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("a waiting delivery's body is not JSON", e);
        }
    }

    /** What the engine decided since the last drain, in order. */
    private final class Writes {
        private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        private final Map<String, Integer> pendingAt = new HashMap<>();
        private final List<CommitBatch.IndexWrite> index = new ArrayList<>();
        private final List<Delivery> parked = new ArrayList<>();
        private final List<Delivery> done = new ArrayList<>();
        private final List<Delivery> spilled = new ArrayList<>();
        private CommitBatch.Outcomes outcomes = CommitBatch.Outcomes.none();

        /**
         * A ledger record. A {@code pending} record that a later record of the same delivery follows in the same
         * batch is dropped: nobody could have seen it, and the ledger keeps only the latest per delivery anyway.
         */
        void ledger(DeliveryRecord record) {
            Integer superseded = pendingAt.remove(record.deliveryId());
            if (superseded != null) {
                records.set(superseded, null);
            }
            if (record.status() == DeliveryStatus.PENDING) {
                pendingAt.put(record.deliveryId(), records.size());
            }
            records.add(ledgerRecords.of(record));
        }

        void index(Delivery d, IndexEntry entry) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.deliveryIndex(), d.partition, d.id,
                    indexValues.serialize(topics.deliveryIndex(), entry));
            records.add(record);
            index.add(new CommitBatch.IndexWrite(d.partition, entry, record));
        }

        void deadLetter(ProducerRecord<String, byte[]> letter) {
            records.add(letter);
            outcomes = new CommitBatch.Outcomes(outcomes.byEndpoint(), outcomes.deadLettered() + 1);
        }

        void count(String endpoint, int kind) {
            outcomes.byEndpoint().computeIfAbsent(endpoint, e -> new int[3])[kind]++;
        }

        void forget(int partition) {
            for (int i = 0; i < records.size(); i++) {
                ProducerRecord<String, byte[]> r = records.get(i);
                if (r != null && r.topic().equals(topics.deliveryIndex()) && r.partition() != null && r.partition() == partition) {
                    records.set(i, null);
                }
            }
            index.removeIf(w -> w.partition() == partition);
        }

        CommitBatch toBatch(long number, Map<TopicPartition, OffsetAndMetadata> offsets) {
            List<ProducerRecord<String, byte[]>> kept = records.stream().filter(r -> r != null).toList();
            return new CommitBatch(number, kept, offsets, List.copyOf(index), List.copyOf(parked), List.copyOf(done), List.copyOf(spilled),
                    outcomes);
        }
    }
}
