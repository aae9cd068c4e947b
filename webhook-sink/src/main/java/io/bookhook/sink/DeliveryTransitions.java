package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves deliveries between their states and keeps what follows from each move: a new one joins its lane (or, past its
 * endpoint's window, is spilled to the delivery index only), the first of a lane becomes ready or waits, a waiting one
 * is parked (its state durable in the index, its source record released), a final one makes way for the next of its
 * lane, and a dropped one is let go.
 */
final class DeliveryTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTransitions.class);

    private final EndpointQueues endpoints;
    private final HeldDeliveries held;
    private final AppointmentLanes lanes = new AppointmentLanes();
    private final DueQueue due;
    private final OwnedPartitions partitions;
    private final PendingWrites writes;
    private final DeliveryLookup index;
    private final Clock clock;

    DeliveryTransitions(EndpointQueues endpoints, HeldDeliveries held, DueQueue due, OwnedPartitions partitions, PendingWrites writes,
                        DeliveryLookup index, Clock clock) {
        this.endpoints = endpoints;
        this.held = held;
        this.due = due;
        this.partitions = partitions;
        this.writes = writes;
        this.index = index;
        this.clock = clock;
    }

    /**
     * A new delivery: recorded pending, holding its source record open until it is final or parked; or, when its
     * endpoint holds its window already (or has spilled this partition), parked in the index only.
     */
    void start(Delivery delivery, TopicPartition source, long offset) {
        writes.ledger(delivery.ledgerRecord(DeliveryStatus.PENDING, clock.instant()));
        EndpointQueue endpoint = endpoints.of(delivery);
        if (endpoint.spilled.contains(delivery.partition) || endpoint.held >= endpoints.window(endpoint)) {
            endpoint.spilled.add(delivery.partition);
            delivery.state = Delivery.State.QUEUED;
            writes.index(delivery, delivery.waitingIndexEntry(DeliveryStatus.PENDING));
            held.spilled(delivery);
            writes.spilled(delivery);
            return;
        }
        partitions.hold(delivery, source, offset);
        enqueue(delivery);
    }

    /**
     * Reads back up to {@code room} of the endpoint's waiting deliveries of {@code partition}, oldest first, and says how
     * many; when fewer were there, the endpoint has nothing spilled in that partition any more.
     */
    int readBack(EndpointQueue endpoint, int partition, int room) {
        if (room <= 0) {
            endpoint.spilled.add(partition);
            return 0;
        }
        List<IndexEntry> entries = index.waiting(endpoint.name(), partition, room, held::holds);
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

    /** A waiting delivery read again joins its lane, unless its endpoint has spilled that partition: then it is read back in its turn. */
    void resumeUnlessSpilled(int partition, IndexEntry entry) {
        EndpointQueue endpoint = endpoints.get(entry.endpoint());
        if (endpoint == null || !endpoint.spilled.contains(partition)) {
            resume(partition, entry);
        }
    }

    /** A waiting delivery from the index joins its lane; its body stays on disk until its attempt. False if not resumable. */
    private boolean resume(int partition, IndexEntry entry) {
        if (held.isUnderwayOrDone(entry.deliveryId())) {
            return false;
        }
        if (!endpoints.has(entry.endpoint())) {
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

    private void enqueue(Delivery delivery) {
        held.add(delivery);
        endpoints.of(delivery).held++;
        if (lanes.join(delivery)) {
            becomeFirst(delivery);
        } else {
            delivery.state = Delivery.State.QUEUED;
            if (lanes.first(delivery).state == Delivery.State.WAITING && !delivery.parked) {
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
            endpoints.of(delivery).ready.addLast(delivery);
        }
    }

    /** Decided at {@code now}: the delivery retries at {@code at}; it and every delivery queued behind it are parked. */
    void retryAt(Delivery d, Instant at, Instant now) {
        d.nextAttemptAt = at;
        d.state = Delivery.State.WAITING;
        due.add(d);
        writes.ledger(d.ledgerRecord(DeliveryStatus.RETRYING, now));
        parkWithFollowers(d);
    }

    /** The delivery (its state as it is now) and every delivery queued behind it become durable in the index. */
    void parkWithFollowers(Delivery d) {
        park(d);
        for (Delivery follower : lanes.behind(d)) {
            if (!follower.parked) {
                park(follower);
            }
        }
    }

    /** Its waiting state goes to the index; from then on its source record no longer needs to stay open. */
    private void park(Delivery d) {
        d.parked = true;
        d.parkedInDrain = writes.nextBatchNumber();
        writes.index(d, d.waitingIndexEntry(d.waitingStatus()));
        writes.parked(d);
        partitions.release(d);
    }

    /** The delivery is final: its outcome is recorded and counted, and the next of its lane moves up. */
    void finish(Delivery d, DeliveryStatus outcome) {
        d.state = Delivery.State.DONE;
        d.outcome = outcome;
        Instant now = clock.instant();
        DeliveryRecord finalRecord = d.ledgerRecord(outcome, now);
        writes.ledger(finalRecord);
        writes.index(d, d.finalIndexEntry(finalRecord));
        writes.count(d.endpoint, outcome == DeliveryStatus.DELIVERED ? CommitBatch.Outcomes.DELIVERED : CommitBatch.Outcomes.FAILED);
        writes.done(d);
        partitions.release(d);
        held.done(d);
        endpoints.of(d).held--;
        Delivery next = lanes.leave(d);
        if (next != null && next.state == Delivery.State.QUEUED) {
            becomeFirst(next);
        }
    }

    /** Given up by this sink: its partition went elsewhere, or is leaving; its next owner resumes or re-reads it. */
    void drop(Delivery d) {
        d.state = Delivery.State.DROPPED;
        held.dropped(d);
        endpoints.of(d).held--;
        d.source = null;
        lanes.leave(d);
    }
}
