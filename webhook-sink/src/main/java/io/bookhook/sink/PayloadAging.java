package io.bookhook.sink;

import java.time.Instant;
import java.util.Set;

/**
 * Customer data does not stay in the ledger for ever: for each final delivery of an owned partition whose ledger record
 * has carried its payload since before the cutoff ({@code BOOKHOOK_LEDGER_PAYLOAD_RETENTION} ago), the ledger record is
 * written again without it, from the copy its index entry keeps, and the index entry without that copy. Both go into
 * the sink's next transaction with everything else, so the one sink that owns the partition writes them, after the
 * delivery's final record. A delivery this sink holds right now (an operator's retry under way, a final state not yet
 * committed) is left for a later sweep.
 */
final class PayloadAging {

    private final DeliveryLookup index;
    private final HeldDeliveries held;
    private final PendingWrites writes;

    PayloadAging(DeliveryLookup index, HeldDeliveries held, PendingWrites writes) {
        this.index = index;
        this.held = held;
        this.writes = writes;
    }

    /** Removes the payloads kept since before {@code cutoff}, at most {@code limit}; returns how many. */
    int removeBefore(Set<Integer> partitions, Instant cutoff, int limit) {
        int removed = 0;
        for (int partition : partitions) {
            for (IndexEntry entry : index.payloadsKeptBefore(partition, cutoff, limit - removed)) {
                if (held.holds(entry.deliveryId())) {
                    continue;
                }
                writes.ledger(entry.ledger());
                writes.index(partition, entry.deliveryId(), entry.withPayloadGone());
                removed++;
            }
            if (removed >= limit) {
                break;
            }
        }
        return removed;
    }
}
