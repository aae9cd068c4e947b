package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An operator's request to the sink, the value of {@code bookhook.delivery-requests}: retry one delivery, resend an
 * appointment's event(s) on purpose, or forget the payloads of an appointment's final deliveries (a customer's
 * erasure). Requests travel through Kafka so they are never lost, whether or not a sink runs when they are made. The
 * operator tool reads the ledger when it asks, so each item carries the payload to post (or, for a forget, the record
 * as read): the sink needs no copy of every payload ever delivered.
 *
 * @param requestId     unique per request; resend deliveries take ids derived from it, so a request read twice
 *                      lands on the same ledger entries
 * @param action        {@code retry}: one more attempt of an existing delivery; {@code resend}: new deliveries;
 *                      {@code forget}: final ledger records written again without their payload, by the sink that owns
 *                      them, only if still as the operator saw them
 * @param appointmentId the appointment, also the Kafka key, so one appointment's requests keep their order
 * @param eventType     for a resend of one event type; null when every derived event is resent
 * @param items         the deliveries to attempt, in order
 */
@JsonPropertyOrder({"request_id", "action", "appointment_id", "event_type", "requested_at", "items"})
public record DeliveryRequest(
        @JsonProperty("request_id") String requestId,
        @JsonProperty("action") Action action,
        @JsonProperty("appointment_id") String appointmentId,
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("requested_at") Instant requestedAt,
        @JsonProperty("items") List<Item> items) {

    public enum Action {
        @JsonProperty("retry") RETRY,
        @JsonProperty("resend") RESEND,
        @JsonProperty("forget") FORGET
    }

    /**
     * One delivery to attempt.
     *
     * @param deliveryId        the delivery to retry; null for a resend (the sink derives a new id)
     * @param endpoint          the endpoint to post to; null: the retried delivery's endpoint, or for a resend every
     *                          endpoint whose filters match
     * @param idempotencyKey    the key the receiver deduplicates on, unchanged by retries and resends
     * @param attemptsSoFar     attempts the delivery already had, so attempt numbers continue
     * @param payload           the event as derived, from the ledger (or rebuilt from the source); none for a forget
     * @param forgotten         for a forget: the final ledger record as the operator saw it, without its payload
     */
    @JsonPropertyOrder({"delivery_id", "endpoint", "idempotency_key", "attempts_so_far", "payload", "forgotten"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(
            @JsonProperty("delivery_id") String deliveryId,
            @JsonProperty("endpoint") String endpoint,
            @JsonProperty("idempotency_key") String idempotencyKey,
            @JsonProperty("attempts_so_far") int attemptsSoFar,
            @JsonProperty("payload") JsonNode payload,
            @JsonProperty("forgotten") DeliveryRecord forgotten) {

        public Item {
            Objects.requireNonNull(idempotencyKey, "idempotency_key");
            IdempotencyKey.parse(idempotencyKey);
            if (payload != null && payload.isNull()) {
                payload = null;
            }
            if (forgotten != null && (forgotten.hasPayload() || !forgotten.deliveryId().equals(deliveryId))) {
                throw new IllegalArgumentException("a forget names the delivery whose record it carries, without its payload");
            }
        }

        /** An item to post: a retry's or a resend's. */
        public Item(String deliveryId, String endpoint, String idempotencyKey, int attemptsSoFar, JsonNode payload) {
            this(deliveryId, endpoint, idempotencyKey, attemptsSoFar, Objects.requireNonNull(payload, "payload"), null);
        }

        public IdempotencyKey key() {
            return IdempotencyKey.parse(idempotencyKey);
        }
    }

    public DeliveryRequest {
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(appointmentId, "appointment_id");
        Objects.requireNonNull(requestedAt, "requested_at");
        items = items == null ? List.of() : List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one item");
        }
        if (action == Action.RETRY && (items.size() != 1 || items.get(0).deliveryId() == null)) {
            throw new IllegalArgumentException("a retry request names exactly one delivery_id");
        }
        for (Item item : items) {
            if (action == Action.FORGET ? item.forgotten() == null : item.payload() == null) {
                throw new IllegalArgumentException(action == Action.FORGET ? "a forget item carries the record to write without payload"
                        : "a " + action.name().toLowerCase(java.util.Locale.ROOT) + " item carries the payload to post");
            }
        }
    }

    /** One more attempt of an existing delivery, with its stored payload. */
    public static DeliveryRequest retry(String requestId, DeliveryRecord delivery, Instant now) {
        return new DeliveryRequest(requestId, Action.RETRY, delivery.appointmentId(), delivery.eventType(), now,
                List.of(new Item(delivery.deliveryId(), delivery.endpoint(), delivery.idempotencyKey(), delivery.attempts(),
                        delivery.payload())));
    }

    /** New deliveries of the given events of one appointment, under their unchanged idempotency keys. */
    public static DeliveryRequest resend(String requestId, String appointmentId, EventType eventType, List<Item> items, Instant now) {
        return new DeliveryRequest(requestId, Action.RESEND, appointmentId, eventType, now, items);
    }

    /**
     * The final records {@code seen} (of one appointment) written again without their payload by the sink that owns
     * them, each only if it is still the delivery's state when the sink reads the request.
     */
    public static DeliveryRequest forget(String requestId, String appointmentId, List<DeliveryRecord> seen, Instant now) {
        return new DeliveryRequest(requestId, Action.FORGET, appointmentId, null, now, seen.stream()
                .map(record -> new Item(record.deliveryId(), record.endpoint(), record.idempotencyKey(), record.attempts(), null,
                        record.withoutPayload()))
                .toList());
    }

    /** The delivery a retry names; null for a resend. */
    @JsonIgnore
    public String deliveryId() {
        return action == Action.RETRY ? items.get(0).deliveryId() : null;
    }

    /** The key on the requests topic: the appointment, so requests for one appointment keep their order. */
    @JsonIgnore
    public String kafkaKey() {
        return appointmentId;
    }
}
