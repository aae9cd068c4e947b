package io.bookhook.sink;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** What the committed delivery index knows: of one delivery, and of the deliveries that wait for an endpoint. */
interface DeliveryLookup {

    Optional<IndexEntry> get(String deliveryId);

    /** Up to {@code limit} waiting deliveries to {@code endpoint} of {@code partition}, oldest first, but those {@code skip} names. */
    List<IndexEntry> waiting(String endpoint, int partition, int limit, Predicate<String> skip);
}
