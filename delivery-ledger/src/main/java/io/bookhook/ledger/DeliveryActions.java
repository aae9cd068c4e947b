package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operator's retry and resend, checked against the ledger before a request is written, so the CLI and the
 * admin page refuse the same mistakes with the same words: an unknown id, an appointment without deliveries,
 * a retry of something the receiver already accepted (that is a resend, and must be asked for as one), a retry of
 * a delivery the sink is still working on (it makes one attempt at a time, on its own schedule).
 */
public final class DeliveryActions {

    /** Why a ledger record has no payload: said the same way by retry and resend. */
    static final String PAYLOAD_GONE = "a final record's payload is removed once BOOKHOOK_LEDGER_PAYLOAD_RETENTION has passed,"
            + " or by bookhook forget";

    private final LedgerIndex ledger;
    private final RequestPublisher requests;
    private final Clock clock;

    public DeliveryActions(LedgerIndex ledger, RequestPublisher requests, Clock clock) {
        this.ledger = ledger;
        this.requests = requests;
        this.clock = clock;
    }

    /** Asks the sink to attempt one delivery again with its stored payload. Accepts a unique prefix of the id. */
    public RequestPublisher.Submitted retry(String deliveryIdOrPrefix) {
        DeliveryRecord delivery = ledger.resolve(deliveryIdOrPrefix.strip())
                .orElseThrow(() -> OperatorException.notFound("no delivery '" + deliveryIdOrPrefix + "' in the ledger"));
        if (delivery.status() == DeliveryStatus.DELIVERED || delivery.status() == DeliveryStatus.SKIPPED) {
            String resend = "bookhook resend " + delivery.appointmentId()
                    + (delivery.eventType() == null ? "" : " --event " + delivery.eventType().wireName());
            throw OperatorException.conflict("delivery " + delivery.deliveryId() + " (" + delivery.idempotencyKey() + ") is "
                    + delivery.status().wireName() + ": the receiver has it already; to send it again on purpose, " + resend);
        }
        if (delivery.status() == DeliveryStatus.PENDING || delivery.status() == DeliveryStatus.RETRYING) {
            String schedule = delivery.status() == DeliveryStatus.RETRYING && delivery.nextAttemptAt() != null
                    ? "attempt " + (delivery.attempts() + 1) + " is due at " + delivery.nextAttemptAt()
                    : "its first attempt is under way";
            throw OperatorException.conflict("delivery " + delivery.deliveryId() + " (" + delivery.idempotencyKey() + ") is "
                    + delivery.status().wireName() + ": the sink is still delivering it, one attempt at a time (" + schedule
                    + "); retry it once it has failed");
        }
        if (!delivery.hasPayload()) {
            throw OperatorException.conflict("delivery " + delivery.deliveryId() + " (" + delivery.idempotencyKey() + ") has no payload"
                    + " any more: " + PAYLOAD_GONE + "; bookhook cannot rebuild it, so it cannot be retried");
        }
        // Keyed by appointment (not the factory's delivery id) so that a retry and a resend of one appointment stay in order.
        return requests.publish(DeliveryRequest.retry(UUID.randomUUID().toString(), delivery, clock.instant()));
    }

    /** Asks the sink to send an appointment's event (or all its events, when {@code eventType} is null) again on purpose. */
    public RequestPublisher.Submitted resend(String appointmentId, EventType eventType) {
        return resend(appointmentId, eventType, null);
    }

    /**
     * As {@link #resend(String, EventType)}, to one endpoint when {@code endpoint} is given (even one whose filters would
     * not select the event: the operator asked for it), else to every endpoint whose filters select it.
     */
    public RequestPublisher.Submitted resend(String appointmentId, EventType eventType, String endpoint) {
        List<DeliveryRecord> deliveries = ledger.byAppointment(appointmentId.strip());
        if (deliveries.isEmpty()) {
            throw OperatorException.notFound("no deliveries for appointment '" + appointmentId + "' in the ledger");
        }
        if (eventType != null && deliveries.stream().noneMatch(d -> d.eventType() == eventType)) {
            String known = deliveries.stream().map(d -> String.valueOf(d.eventType() == null ? "?" : d.eventType().wireName()))
                    .distinct().sorted().collect(Collectors.joining(", "));
            throw OperatorException.notFound("appointment '" + appointmentId + "' has no " + eventType.wireName()
                    + " delivery in the ledger (it has: " + known + ")");
        }
        List<DeliveryRequest.Item> items = new ArrayList<>();
        for (EventType type : EventType.values()) {
            if (eventType == null || eventType == type) {
                deliveries.stream()
                        .filter(d -> d.eventType() == type && d.hasPayload())
                        .findFirst()
                        .ifPresent(d -> items.add(new DeliveryRequest.Item(null, endpoint, d.idempotencyKey(), 0, d.payload())));
            }
        }
        if (items.isEmpty()) {
            throw OperatorException.conflict("the ledger holds no payload to resend for appointment '" + appointmentId + "': "
                    + PAYLOAD_GONE + "; bookhook cannot rebuild it, so it cannot be resent");
        }
        return requests.publish(DeliveryRequest.resend(UUID.randomUUID().toString(), appointmentId.strip(), eventType, items,
                clock.instant()));
    }
}
