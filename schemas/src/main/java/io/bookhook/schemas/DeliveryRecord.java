package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One state of one delivery (an event to one endpoint): the value of the compacted {@code bookhook.delivery-ledger},
 * keyed by delivery id. {@code endpoint} is null in records written before endpoints existed; {@code next_attempt_at}
 * is set while the delivery is {@code retrying}.
 */
@JsonPropertyOrder({"delivery_id", "endpoint", "idempotency_key", "event_type", "appointment_id", "status", "attempts",
        "next_attempt_at", "last_response_code", "last_error", "response_excerpt", "reason", "created_at", "updated_at", "payload"})
public record DeliveryRecord(
        @JsonProperty("delivery_id") String deliveryId,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("appointment_id") String appointmentId,
        @JsonProperty("status") DeliveryStatus status,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("next_attempt_at") Instant nextAttemptAt,
        @JsonProperty("last_response_code") Integer lastResponseCode,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("response_excerpt") String responseExcerpt,
        @JsonProperty("reason") DeliveryReason reason,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("payload") JsonNode payload) {

    public DeliveryRecord {
        Objects.requireNonNull(deliveryId, "delivery_id");
        Objects.requireNonNull(idempotencyKey, "idempotency_key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        // JSON null reads as a NullNode: one way to say "no payload", whether made here or read from the ledger.
        if (payload != null && payload.isNull()) {
            payload = null;
        }
    }

    /** Whether it still carries the payload (customer data): not once aged out, forgotten, or for a skip. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean hasPayload() {
        return payload != null;
    }

    /** The endpoint the seed's settings make, and the one of every record written before endpoints existed. */
    public static final String SEED_ENDPOINT = "make";

    /** Its endpoint; {@link #SEED_ENDPOINT} for records written before endpoints existed. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String endpointName() {
        return endpoint == null ? SEED_ENDPOINT : endpoint;
    }

    /** A first record for a delivery to {@code endpoint} that has not been attempted yet. */
    public static DeliveryRecord pending(String deliveryId, String endpoint, IdempotencyKey key, DeliveryReason reason, JsonNode payload,
            Instant now) {
        return new DeliveryRecord(deliveryId, endpoint, key.toString(), key.eventType(), key.appointmentId(), DeliveryStatus.PENDING,
                0, null, null, null, null, reason, now, now, payload);
    }

    /**
     * The same record without its payload, which holds customer data: what a final record becomes once
     * {@code BOOKHOOK_LEDGER_PAYLOAD_RETENTION} has passed or the customer was forgotten. Every other field, its times
     * included, stays as it was.
     */
    public DeliveryRecord withoutPayload() {
        return new DeliveryRecord(deliveryId, endpoint, idempotencyKey, eventType, appointmentId, status, attempts, nextAttemptAt,
                lastResponseCode, lastError, responseExcerpt, reason, createdAt, updatedAt, null);
    }

    /** Delivered, failed or skipped: no sink works on it any more (an operator's retry makes it waiting again). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isFinal() {
        return status.isFinal();
    }

    /** The next state of this delivery after an attempt (or a decision not to attempt), with no attempt due. */
    public DeliveryRecord next(DeliveryStatus newStatus, int attemptsSoFar, Integer responseCode, String error, String excerpt, Instant now) {
        return next(newStatus, attemptsSoFar, null, responseCode, error, excerpt, now);
    }

    /** The next state of this delivery; {@code nextAttemptAt} when another attempt is scheduled. */
    public DeliveryRecord next(DeliveryStatus newStatus, int attemptsSoFar, Instant nextAttemptAt, Integer responseCode, String error,
            String excerpt, Instant now) {
        return new DeliveryRecord(deliveryId, endpoint, idempotencyKey, eventType, appointmentId, newStatus, attemptsSoFar,
                nextAttemptAt, responseCode, error, excerpt, reason, createdAt, now, payload);
    }
}
