package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The webhook payload and the value of {@code bookhook.appointment-events}. Rows are JSON objects
 * because their columns belong to the booking app (column names come from configuration). A related
 * row that could not be found in time is {@code null} here and named in {@code missing}, so a
 * receiver never mistakes a hole for an empty record.
 *
 * <p>{@code appointment_id} and {@code status} are the same whatever the mapping: the appointment's id (integer or
 * string, as in its row) and its status in bookhook's words ({@code pending} or {@code confirmed}), so a receiver need
 * not know the app's column names or status values. They are null only in events written before they existed.
 */
@JsonPropertyOrder({"event_type", "idempotency_key", "occurred_at", "appointment_id", "status", "appointment", "customer", "salon",
        "stylist", "service", "missing"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppointmentEvent(
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("appointment_id") JsonNode appointmentId,
        @JsonProperty("status") String status,
        @JsonProperty("appointment") ObjectNode appointment,
        @JsonProperty("customer") ObjectNode customer,
        @JsonProperty("salon") ObjectNode salon,
        @JsonProperty("stylist") ObjectNode stylist,
        @JsonProperty("service") ObjectNode service,
        @JsonProperty("missing") List<String> missing) {

    /** bookhook's word for an appointment whose status is the app's pending value. */
    public static final String PENDING = "pending";
    /** bookhook's word for an appointment whose status is the app's confirmed value. */
    public static final String CONFIRMED = "confirmed";

    public AppointmentEvent {
        Objects.requireNonNull(eventType, "event_type");
        Objects.requireNonNull(idempotencyKey, "idempotency_key");
        Objects.requireNonNull(occurredAt, "occurred_at");
        Objects.requireNonNull(appointment, "appointment");
        if (appointmentId != null && appointmentId.isNull()) {
            appointmentId = null;
        }
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /**
     * An event of the reference schema, whose appointment row has {@code id} and a {@code status} of {@code pending} or
     * {@code confirmed}: the normalised fields are read from the row.
     */
    public AppointmentEvent(EventType eventType, String idempotencyKey, Instant occurredAt, ObjectNode appointment, ObjectNode customer,
                            ObjectNode salon, ObjectNode stylist, ObjectNode service, List<String> missing) {
        this(eventType, idempotencyKey, occurredAt, Objects.requireNonNull(appointment, "appointment").get("id"), referenceStatus(eventType, appointment), appointment, customer,
                salon, stylist, service, missing);
    }

    private static String referenceStatus(EventType eventType, ObjectNode appointment) {
        String raw = appointment.path("status").asText("").toLowerCase(Locale.ROOT);
        if (raw.equals(PENDING) || raw.equals(CONFIRMED)) {
            return raw;
        }
        return eventType == EventType.CONFIRMED ? CONFIRMED : PENDING;
    }

    public IdempotencyKey key() {
        return IdempotencyKey.parse(idempotencyKey);
    }
}
