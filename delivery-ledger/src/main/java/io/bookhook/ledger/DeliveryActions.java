package io.bookhook.ledger;

import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    private final PayloadSource source;

    public DeliveryActions(LedgerIndex ledger, RequestPublisher requests, Clock clock) {
        this(ledger, requests, clock, null);
    }

    /** {@code source}: where a resend rebuilds a payload the ledger no longer holds; null when there is none. */
    public DeliveryActions(LedgerIndex ledger, RequestPublisher requests, Clock clock, PayloadSource source) {
        this.ledger = ledger;
        this.requests = requests;
        this.clock = clock;
        this.source = source;
    }

    /** Asks the sink to attempt one delivery again with its stored payload. Accepts a unique prefix of the id. */
    public RequestPublisher.Submitted retry(String deliveryIdOrPrefix) {
        DeliveryRecord delivery = ledger.resolve(deliveryIdOrPrefix.strip())
                .orElseThrow(() -> OperatorException.notFound("no delivery '" + deliveryIdOrPrefix + "' in the ledger"));
        if (delivery.status() == DeliveryStatus.DELIVERED || delivery.status() == DeliveryStatus.SKIPPED) {
            throw OperatorException.conflict("delivery " + delivery.deliveryId() + " (" + delivery.idempotencyKey() + ") is "
                    + delivery.status().wireName() + ": the receiver has it already; to send it again on purpose, " + resendCommand(delivery));
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
                    + " any more: " + PAYLOAD_GONE + "; it cannot be retried, but " + resendCommand(delivery)
                    + " sends the event again, rebuilt from the booking app's rows");
        }
        // Keyed by appointment (not the factory's delivery id) so that a retry and a resend of one appointment stay in order.
        return requests.publish(DeliveryRequest.retry(UUID.randomUUID().toString(), delivery, clock.instant()));
    }

    private static String resendCommand(DeliveryRecord delivery) {
        return "bookhook resend " + delivery.appointmentId() + (delivery.eventType() == null ? "" : " --event " + delivery.eventType().wireName());
    }

    /**
     * The events of {@code types} rebuilt from the source, as the appointment's rows are now, in the order of the types;
     * refused with the reason when there is no source or it has no such event.
     */
    private Map<EventType, DeliveryRequest.Item> rebuilt(String appointmentId, List<EventType> types, String endpoint) {
        String missing = types.stream().map(EventType::wireName).collect(Collectors.joining(" and "));
        String gone = "the ledger holds no payload of the " + missing + " event of appointment '" + appointmentId + "' to resend: "
                + PAYLOAD_GONE;
        if (source == null) {
            throw OperatorException.conflict(gone + "; with BOOKHOOK_POSTGRES_HOST and the mapping set, bookhook resend rebuilds it from the"
                    + " booking app's rows");
        }
        List<AppointmentEvent> events = source.events(appointmentId);
        Map<EventType, DeliveryRequest.Item> items = new EnumMap<>(EventType.class);
        for (EventType type : types) {
            AppointmentEvent event = events.stream().filter(e -> e.eventType() == type).findFirst()
                    .orElseThrow(() -> OperatorException.conflict(gone + ", and " + source.description() + (events.isEmpty()
                            ? " have no appointment '" + appointmentId + "' any more" : " derive no " + type.wireName() + " event of it now")
                            + ", so it cannot be rebuilt"));
            items.put(type, new DeliveryRequest.Item(null, endpoint, event.idempotencyKey(), 0, Json.mapper().valueToTree(event)));
        }
        return items;
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
        Map<EventType, DeliveryRequest.Item> fromLedger = new EnumMap<>(EventType.class);
        List<EventType> withoutPayload = new ArrayList<>();
        for (EventType type : EventType.values()) {
            if ((eventType == null || eventType == type) && deliveries.stream().anyMatch(d -> d.eventType() == type)) {
                deliveries.stream()
                        .filter(d -> d.eventType() == type && d.hasPayload())
                        .findFirst()
                        .ifPresentOrElse(d -> fromLedger.put(type, new DeliveryRequest.Item(null, endpoint, d.idempotencyKey(), 0, d.payload())),
                                () -> withoutPayload.add(type));
            }
        }
        Map<EventType, DeliveryRequest.Item> items = new EnumMap<>(fromLedger);
        if (!withoutPayload.isEmpty()) {
            items.putAll(rebuilt(appointmentId.strip(), withoutPayload, endpoint));
        }
        // An EnumMap iterates in the types' order: created before confirmed, whichever came from where.
        return requests.publish(DeliveryRequest.resend(UUID.randomUUID().toString(), appointmentId.strip(), eventType,
                List.copyOf(items.values()), clock.instant()));
    }
}
