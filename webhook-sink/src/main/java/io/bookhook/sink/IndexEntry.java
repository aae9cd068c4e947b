package io.bookhook.sink;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery's state in the delivery index ({@code bookhook.delivery-index}, compacted, keyed by delivery id,
 * partitioned like the events): what a sink needs to skip what is delivered and to resume what waits. Small when
 * final; while the delivery waits (retrying, or queued behind an appointment's retrying delivery) it carries the body
 * to post, so no payload has to be looked up elsewhere after a restart.
 *
 * @param attempts      attempts made so far; the next one is {@code attempts + 1}
 * @param nextAttemptAt when a retrying delivery's next attempt is due (a receiver's Retry-After included)
 * @param singleAttempt an operator's retry: one attempt, no schedule
 * @param body          the exact bytes to post, while the delivery waits; null once final
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"delivery_id", "endpoint", "idempotency_key", "status", "attempts", "next_attempt_at", "reason",
        "single_attempt", "created_at", "body"})
public record IndexEntry(
        @JsonProperty("delivery_id") String deliveryId,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("status") DeliveryStatus status,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("next_attempt_at") Instant nextAttemptAt,
        @JsonProperty("reason") DeliveryReason reason,
        @JsonProperty("single_attempt") boolean singleAttempt,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("body") byte[] body) {

    public IndexEntry {
        Objects.requireNonNull(deliveryId, "delivery_id");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(idempotencyKey, "idempotency_key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (waitingStatus(status) && body == null) {
            throw new IllegalArgumentException("a waiting delivery's index entry must carry its body: " + deliveryId);
        }
    }

    /** Pending or retrying: the delivery is not final and a sink must resume it. */
    @JsonIgnore
    public boolean waiting() {
        return waitingStatus(status);
    }

    @JsonIgnore
    public IdempotencyKey key() {
        return IdempotencyKey.parse(idempotencyKey);
    }

    /** What the local store orders waiting deliveries by: endpoint, then creation, created before confirmed. */
    record Order(String endpoint, boolean waiting, long createdAtMillis, int eventTypeOrdinal) {
    }

    @JsonIgnore
    Order order() {
        return new Order(endpoint, waiting(), createdAt == null ? 0 : createdAt.toEpochMilli(), key().eventType().ordinal());
    }

    /**
     * The order fields of the serialized entry {@code json}, read without decoding the rest (its body): a sink restoring a
     * million entries stores their bytes as they are and needs only these of each.
     */
    static Order orderOf(byte[] json) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a delivery index entry: not a JSON object");
            }
            String endpoint = null;
            String key = null;
            DeliveryStatus status = null;
            long createdAt = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "endpoint" -> endpoint = parser.getText();
                    case "idempotency_key" -> key = parser.getText();
                    case "status" -> status = DeliveryStatus.fromWireName(parser.getText());
                    case "created_at" -> createdAt = Instant.parse(parser.getText()).toEpochMilli();
                    default -> parser.skipChildren();
                }
            }
            if (endpoint == null || key == null || status == null) {
                throw new IllegalArgumentException("not a delivery index entry: it lacks endpoint, idempotency_key or status");
            }
            return new Order(endpoint, waitingStatus(status), createdAt, IdempotencyKey.parse(key).eventType().ordinal());
        } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a delivery index entry: " + e.getMessage(), e);
        }
    }

    private static boolean waitingStatus(DeliveryStatus status) {
        return status == DeliveryStatus.PENDING || status == DeliveryStatus.RETRYING;
    }

    @Override
    public String toString() {
        return "IndexEntry[" + deliveryId + ", " + endpoint + ", " + idempotencyKey + ", " + status + ", attempts=" + attempts
                + (nextAttemptAt == null ? "" : ", next=" + nextAttemptAt) + (body == null ? "" : ", body=" + body.length + " bytes") + "]";
    }
}
