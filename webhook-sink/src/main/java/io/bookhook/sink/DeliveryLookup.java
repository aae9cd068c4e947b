package io.bookhook.sink;

import java.util.Optional;

/** What the committed delivery index knows of one delivery; the engine asks before it creates or resumes one. */
@FunctionalInterface
interface DeliveryLookup {

    Optional<IndexEntry> get(String deliveryId);
}
