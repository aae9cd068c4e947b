package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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
 *   ({@link EndpointQueues#window}); past it, its new deliveries are parked in the delivery index only (spilled) and read back in
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

    private final EndpointQueues endpoints;
    private final OwnedPartitions partitions;
    private final HeldDeliveries held;
    private final DueQueue due = new DueQueue();
    private final PendingWrites writes;
    private final DeliveryTransitions transitions;
    private final DeliveryIntake intake;
    private final AttemptStarter starter;
    private final AttemptOutcomes outcomes;
    private final PayloadRemoval payloads;
    private final Clock clock;

    DeliveryEngine(List<Endpoint> endpoints, CircuitSettings circuit, RetrySchedule retry, Duration goneHold, TopicNames topics,
                   DeliveryLookup index, Clock clock, SinkMetrics metrics) {
        this(endpoints, circuit, retry, goneHold, topics, index, clock, metrics, SinkSettings.DEFAULT_MAX_BUFFERED);
    }

    /** {@code maxBuffered}: deliveries held in memory in all; with several endpoints, each gets a share of it. */
    DeliveryEngine(List<Endpoint> endpoints, CircuitSettings circuit, RetrySchedule retry, Duration goneHold, TopicNames topics,
                   DeliveryLookup index, Clock clock, SinkMetrics metrics, int maxBuffered) {
        this.endpoints = new EndpointQueues(endpoints, circuit, clock, maxBuffered);
        this.partitions = new OwnedPartitions(topics);
        this.held = new HeldDeliveries(index);
        this.writes = new PendingWrites(topics);
        this.clock = clock;
        this.transitions = new DeliveryTransitions(this.endpoints, held, due, partitions, writes, index, clock);
        this.payloads = new PayloadRemoval(index, held, writes);
        this.intake = new DeliveryIntake(this.endpoints, held, transitions, partitions, writes, payloads, topics, clock, metrics);
        this.starter = new AttemptStarter(this.endpoints, held, due, transitions, clock);
        this.outcomes = new AttemptOutcomes(this.endpoints, due, transitions, partitions, new RetryPlan(retry), goneHold, clock, metrics);
    }

    // ---- partitions -------------------------------------------------------------------------------------------

    /**
     * This sink now owns partition {@code partition} of the events and requests topics: their records are read from
     * the given positions, and the deliveries its previous owner left waiting are resumed.
     */
    void assigned(int partition, long eventsPosition, long requestsPosition) {
        partitions.assigned(partition, eventsPosition, requestsPosition);
        int resumed = 0;
        for (EndpointQueue endpoint : endpoints.all()) {
            resumed += transitions.readBack(endpoint, partition, endpoints.room(endpoint));
        }
        if (resumed > 0) {
            LOG.info("partition {}: resumed {} waiting deliveries from the delivery index", partition, resumed);
        }
    }

    /** Stops starting deliveries of {@code partition}; those in flight finish and are recorded. */
    void revoking(int partition) {
        partitions.revoking(partition);
        for (Delivery d : held.underway(partition)) {
            if (d.state != Delivery.State.IN_FLIGHT) {
                transitions.drop(d);
            }
        }
    }

    int inFlight(int partition) {
        return held.inFlight(partition);
    }

    /** Forgets everything of {@code partition}: after its last writes committed, or when it was lost to another owner. */
    void forget(int partition) {
        partitions.revoking(partition);
        held.underway(partition).forEach(transitions::drop);
        held.forget(partition);
        endpoints.all().forEach(endpoint -> endpoint.spilled.remove(partition));
        partitions.forget(partition);
        writes.forget(partition);
    }

    // ---- input and attempts -----------------------------------------------------------------------------------

    /** An appointment event: a delivery to each endpoint, unless the index has it delivered or waiting already. */
    void acceptEvent(ConsumerRecord<String, byte[]> record) {
        intake.acceptEvent(record);
    }

    /** An operator's retry or resend, read from the requests partition that matches the appointment's event partition. */
    void acceptRequest(ConsumerRecord<String, byte[]> record) {
        intake.acceptRequest(record);
    }

    /** The attempts to make now; see {@link AttemptStarter}. */
    List<Attempt> startable() {
        return starter.startable();
    }

    /** The result of an attempt {@link #startable} asked for. */
    void completed(Attempt attempt, AttemptResult result, Duration took) {
        outcomes.completed(attempt, result, took);
    }

    /** The results the {@link AttemptRunner} has for attempts {@link #startable} asked for. */
    void completed(List<AttemptRunner.Completion> completions) {
        for (AttemptRunner.Completion done : completions) {
            completed(done.attempt(), done.result(), done.took());
        }
    }

    // ---- writes -----------------------------------------------------------------------------------------------

    /**
     * Final deliveries of the owned partitions whose ledger record has carried its payload since before {@code cutoff}
     * get it rewritten without the payload in the next transaction; at most {@code limit}. Returns how many.
     */
    int removePayloadsKeptBefore(Instant cutoff, int limit) {
        return payloads.removeBefore(partitions.owned(), cutoff, limit);
    }

    /** Everything to write in the next transaction, with the offset of every open input partition. */
    CommitBatch drain() {
        return writes.drain(partitions.committable());
    }

    /** The batch is committed: its final outcomes are in the index, and parked deliveries may leave memory. */
    void committed(CommitBatch batch) {
        held.committed(batch);
    }

    // ---- what the loop and the metrics ask --------------------------------------------------------------------

    /** Deliveries holding their body in memory: the caller pauses its partitions while this is at its bound. */
    int held() {
        return held.inMemory();
    }

    /** Deliveries not yet final, in memory or waiting with their body on disk. */
    int active() {
        return held.underwayCount();
    }

    /** When the earliest waiting delivery is due; empty when none waits. */
    Optional<Instant> nextDue() {
        return due.nextDue();
    }

    /** Records read but not done with, per partition: what a crash would make the next owner read again. */
    Map<TopicPartition, Integer> openRecords() {
        return partitions.openRecords();
    }

    /** An operator paused or resumed an endpoint (unknown names are ignored: another sink's endpoint, or a typo). */
    void setPaused(String endpoint, boolean paused) {
        endpoints.setPaused(endpoint, paused);
    }

    /** Each endpoint's state as this instance sees it, for {@code bookhook.endpoint-status}; written with the next commit. */
    void report(String instance) {
        endpoints.reports(instance, clock.instant()).forEach(writes::report);
    }

    List<EndpointStatus> endpointStatus() {
        return endpoints.status();
    }

    Set<Integer> owned() {
        return partitions.owned();
    }
}
