package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRequest;

/** Where operator requests go: {@link DeliveryRequests} on Kafka; the seam lets the validation rules be tested alone. */
@FunctionalInterface
public interface RequestPublisher {

    /** Returns once the request is durably stored; throws an {@code UNAVAILABLE} {@link OperatorException} otherwise. */
    Submitted publish(DeliveryRequest request);

    /** A request as stored: where it landed on the requests topic. */
    record Submitted(DeliveryRequest request, int partition, long offset) {
    }
}
