package io.bookhook.ledger.admin;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The requests this admin made whose effect the ledger does not show yet, so the page can say "retry requested"
 * until the sink's next ledger record for that delivery arrives. Memory only: the request itself is durable in
 * Kafka; only this hint is lost when the admin restarts. Bounded, oldest dropped first.
 */
final class PendingRequests {

    private static final int LIMIT = 1_000;

    private final ConcurrentLinkedDeque<DeliveryRequest> requests = new ConcurrentLinkedDeque<>();

    void add(DeliveryRequest request) {
        requests.addFirst(request);
        while (requests.size() > LIMIT) {
            requests.pollLast();
        }
    }

    /** The newest request that concerns this delivery and was made after the ledger last changed it. */
    Optional<DeliveryRequest> outstandingFor(DeliveryRecord delivery) {
        return requests.stream()
                .filter(request -> concerns(request, delivery))
                .filter(request -> delivery.updatedAt() == null || request.requestedAt().isAfter(delivery.updatedAt()))
                .max(Comparator.comparing(DeliveryRequest::requestedAt));
    }

    private static boolean concerns(DeliveryRequest request, DeliveryRecord delivery) {
        if (request.action() == DeliveryRequest.Action.RETRY) {
            return delivery.deliveryId().equals(request.deliveryId());
        }
        return request.appointmentId().equals(delivery.appointmentId())
                && (request.eventType() == null || request.eventType() == delivery.eventType());
    }
}
