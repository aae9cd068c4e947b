package io.bookhook.sink;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
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
 * @param payloadKeptSince once final, since when its ledger record has carried the payload; null once the payload is
 *                      gone from the ledger (or for entries written before payloads aged out)
 * @param ledger        once final and while the ledger record carries the payload: that record without its payload,
 *                      what the sink writes in its place when {@code BOOKHOOK_LEDGER_PAYLOAD_RETENTION} has passed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"delivery_id", "endpoint", "idempotency_key", "status", "attempts", "next_attempt_at", "reason",
        "single_attempt", "created_at", "payload_kept_since", "body", "ledger"})
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
        @JsonProperty("body") byte[] body,
        @JsonProperty("payload_kept_since") Instant payloadKeptSince,
        @JsonProperty("ledger") DeliveryRecord ledger) {

    public IndexEntry {
        Objects.requireNonNull(deliveryId, "delivery_id");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(idempotencyKey, "idempotency_key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (!status.isFinal() && body == null) {
            throw new IllegalArgumentException("a waiting delivery's index entry must carry its body: " + deliveryId);
        }
        if ((ledger == null) != (payloadKeptSince == null) || ledger != null && (!status.isFinal() || ledger.hasPayload())) {
            throw new IllegalArgumentException("only a final delivery's index entry keeps its ledger record, without the payload,"
                    + " and since when the ledger has its payload: " + deliveryId);
        }
    }

    /** An entry without the ledger copy: a waiting delivery's, or a final one written before payloads aged out. */
    public IndexEntry(String deliveryId, String endpoint, String idempotencyKey, DeliveryStatus status, int attempts, Instant nextAttemptAt,
                      DeliveryReason reason, boolean singleAttempt, Instant createdAt, byte[] body) {
        this(deliveryId, endpoint, idempotencyKey, status, attempts, nextAttemptAt, reason, singleAttempt, createdAt, body, null, null);
    }

    /** The entry once its ledger record has been rewritten without the payload: nothing left to age out. */
    IndexEntry withPayloadGone() {
        return new IndexEntry(deliveryId, endpoint, idempotencyKey, status, attempts, nextAttemptAt, reason, singleAttempt, createdAt, body);
    }

    /** Pending or retrying: the delivery is not final and a sink must resume it. */
    @JsonIgnore
    public boolean waiting() {
        return !status.isFinal();
    }

    @JsonIgnore
    public IdempotencyKey key() {
        return IdempotencyKey.parse(idempotencyKey);
    }

    /**
     * What the local store orders waiting deliveries by (endpoint, then creation, created before confirmed), and final
     * ones whose ledger record still carries the payload by since when ({@code payloadKeptSinceMillis}, 0 for none).
     */
    record Order(String endpoint, boolean waiting, long createdAtMillis, int eventTypeOrdinal, long payloadKeptSinceMillis) {
    }

    @JsonIgnore
    Order order() {
        return new Order(endpoint, waiting(), createdAt == null ? 0 : createdAt.toEpochMilli(), key().eventType().ordinal(),
                payloadKeptSince == null ? 0 : payloadKeptSince.toEpochMilli());
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
            long payloadKeptSince = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "endpoint" -> endpoint = parser.getText();
                    case "idempotency_key" -> key = parser.getText();
                    case "status" -> status = DeliveryStatus.fromWireName(parser.getText());
                    case "created_at" -> createdAt = Instant.parse(parser.getText()).toEpochMilli();
                    case "payload_kept_since" -> payloadKeptSince = Instant.parse(parser.getText()).toEpochMilli();
                    default -> parser.skipChildren();
                }
            }
            if (endpoint == null || key == null || status == null) {
                throw new IllegalArgumentException("not a delivery index entry: it lacks endpoint, idempotency_key or status");
            }
            return new Order(endpoint, !status.isFinal(), createdAt, IdempotencyKey.parse(key).eventType().ordinal(), payloadKeptSince);
        } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a delivery index entry: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "IndexEntry[" + deliveryId + ", " + endpoint + ", " + idempotencyKey + ", " + status + ", attempts=" + attempts
                + (nextAttemptAt == null ? "" : ", next=" + nextAttemptAt) + (body == null ? "" : ", body=" + body.length + " bytes")
                + (payloadKeptSince == null ? "" : ", payload kept since " + payloadKeptSince) + "]";
    }
}
