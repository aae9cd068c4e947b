package io.bookhook.sink;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the committed delivery index knows: of one delivery, of the deliveries that wait for an endpoint, and of the
 * final ones whose ledger payload ages out.
 */
interface DeliveryLookup {

    Optional<IndexEntry> get(String deliveryId);

    /** Up to {@code limit} waiting deliveries to {@code endpoint} of {@code partition}, oldest first, but those {@code skip} names. */
    List<IndexEntry> waiting(String endpoint, int partition, int limit, Predicate<String> skip);

    /** Up to {@code limit} final deliveries of {@code partition} whose ledger record has kept its payload since before {@code cutoff}. */
    List<IndexEntry> payloadsKeptBefore(int partition, Instant cutoff, int limit);
}
