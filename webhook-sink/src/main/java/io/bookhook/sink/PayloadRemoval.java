package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Customer data leaves the ledger, written by the sink that owns the deliveries, in its own transactions and after
 * their final records: by age, and when an operator forgets a customer.
 *
 * <p>By age: for each final delivery of an owned partition whose ledger record has carried its payload since before the
 * cutoff ({@code BOOKHOOK_LEDGER_PAYLOAD_RETENTION} ago), the ledger record is written again without it, from the copy
 * its index entry keeps, and the index entry without that copy. Both go into the sink's next transaction with
 * everything else, so the one sink that owns the partition writes them, after the delivery's final record. A delivery
 * this sink holds right now (an operator's retry under way, a final state not yet committed) is left for a later sweep.
 */
final class PayloadRemoval {

    private final DeliveryLookup index;
    private final HeldDeliveries held;
    private final PendingWrites writes;

    PayloadRemoval(DeliveryLookup index, HeldDeliveries held, PendingWrites writes) {
        this.index = index;
        this.held = held;
        this.writes = writes;
    }

    /**
     * A forget request's record, as the operator saw it: written again without its payload, unless the delivery has
     * moved on since (under way again, or another final state), in which case nothing is written and the operator's
     * next forget finds its new state. Returns whether it was written.
     */
    boolean forget(int partition, DeliveryRecord seen) {
        String id = seen.deliveryId();
        if (held.holds(id)) {
            return false;
        }
        Optional<IndexEntry> entry = index.get(id);
        if (entry.isPresent() && (entry.get().waiting() || entry.get().status() != seen.status() || entry.get().attempts() != seen.attempts())) {
            return false;
        }
        // A delivery the index does not know (a skip, or one older than the index) has nothing that could change it.
        rewrite(partition, seen, entry.filter(e -> e.ledger() != null).orElse(null));
        return true;
    }

    /** Removes the payloads kept since before {@code cutoff}, at most {@code limit}; returns how many. */
    int removeBefore(Set<Integer> partitions, Instant cutoff, int limit) {
        int removed = 0;
        for (int partition : partitions) {
            for (IndexEntry entry : index.payloadsKeptBefore(partition, cutoff, limit - removed)) {
                if (held.holds(entry.deliveryId())) {
                    continue;
                }
                rewrite(partition, entry.ledger(), entry);
                removed++;
            }
            if (removed >= limit) {
                break;
            }
        }
        return removed;
    }

    /** {@code withoutPayload} to the ledger, and {@code entry} (when the index keeps a ledger copy) without that copy. */
    private void rewrite(int partition, DeliveryRecord withoutPayload, IndexEntry entry) {
        writes.ledger(withoutPayload);
        if (entry != null) {
            writes.index(partition, withoutPayload.deliveryId(), entry.withPayloadGone());
        }
    }
}
