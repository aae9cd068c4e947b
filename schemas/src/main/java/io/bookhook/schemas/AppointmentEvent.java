package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The webhook payload and the value of {@code bookhook.appointment-events}. Rows are JSON objects
 * because their columns belong to the booking app (column names come from configuration). A related
 * row that could not be found in time is {@code null} here and named in {@code missing}, so a
 * receiver never mistakes a hole for an empty record.
 */
@JsonPropertyOrder({"event_type", "idempotency_key", "occurred_at", "appointment", "customer", "salon", "stylist", "service", "missing"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppointmentEvent(
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("appointment") ObjectNode appointment,
        @JsonProperty("customer") ObjectNode customer,
        @JsonProperty("salon") ObjectNode salon,
        @JsonProperty("stylist") ObjectNode stylist,
        @JsonProperty("service") ObjectNode service,
        @JsonProperty("missing") List<String> missing) {

    public AppointmentEvent {
        Objects.requireNonNull(eventType, "event_type");
        Objects.requireNonNull(idempotencyKey, "idempotency_key");
        Objects.requireNonNull(occurredAt, "occurred_at");
        Objects.requireNonNull(appointment, "appointment");
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    public IdempotencyKey key() {
        return IdempotencyKey.parse(idempotencyKey);
    }
}
