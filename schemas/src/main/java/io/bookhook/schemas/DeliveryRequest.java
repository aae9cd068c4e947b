package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's request to the sink, the value of {@code bookhook.delivery-requests}: retry one delivery, or
 * resend an appointment's event(s) on purpose. Requests travel through Kafka so they are never lost, whether
 * or not a sink runs when they are made.
 *
 * @param requestId     unique per request, so a request read twice is carried out once
 * @param action        {@code retry} (needs {@code deliveryId}) or {@code resend} (needs {@code appointmentId})
 * @param deliveryId    the delivery to retry
 * @param appointmentId the appointment to resend
 * @param eventType     for a resend: one event type, or null for every event derived for the appointment
 */
@JsonPropertyOrder({"request_id", "action", "delivery_id", "appointment_id", "event_type", "requested_at"})
public record DeliveryRequest(
        @JsonProperty("request_id") String requestId,
        @JsonProperty("action") Action action,
        @JsonProperty("delivery_id") String deliveryId,
        @JsonProperty("appointment_id") String appointmentId,
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("requested_at") Instant requestedAt) {

    public enum Action {
        @JsonProperty("retry") RETRY,
        @JsonProperty("resend") RESEND
    }

    public DeliveryRequest {
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(requestedAt, "requested_at");
        if (action == Action.RETRY && deliveryId == null) {
            throw new IllegalArgumentException("a retry request needs a delivery_id");
        }
        if (action == Action.RESEND && appointmentId == null) {
            throw new IllegalArgumentException("a resend request needs an appointment_id");
        }
    }

    public static DeliveryRequest retry(String requestId, String deliveryId, Instant now) {
        return new DeliveryRequest(requestId, Action.RETRY, deliveryId, null, null, now);
    }

    public static DeliveryRequest resend(String requestId, String appointmentId, EventType eventType, Instant now) {
        return new DeliveryRequest(requestId, Action.RESEND, null, appointmentId, eventType, now);
    }

    /** The key on the requests topic: the appointment, so requests for one appointment keep their order. */
    public String kafkaKey() {
        return appointmentId != null ? appointmentId : deliveryId;
    }
}
