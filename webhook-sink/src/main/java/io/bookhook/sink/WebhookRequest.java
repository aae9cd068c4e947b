package io.bookhook.sink;

import io.bookhook.schemas.IdempotencyKey;
import java.net.URI;
import java.util.Objects;

/**
 * One attempt to deliver one event.
 *
 * @param body       the event JSON exactly as read from Kafka; it is both what is signed and what is sent
 * @param deliveryId stable across attempts and redeliveries of the same delivery
 * @param attempt    1 for the first attempt
 */
public record WebhookRequest(URI target, byte[] body, IdempotencyKey idempotencyKey, String deliveryId, int attempt) {

    public WebhookRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(deliveryId, "deliveryId");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    public WebhookRequest withAttempt(int next) {
        return new WebhookRequest(target, body, idempotencyKey, deliveryId, next);
    }

    /** The body is left out: it holds customer data and can be large. */
    @Override
    public String toString() {
        return "WebhookRequest[key=" + idempotencyKey + ", delivery=" + deliveryId + ", attempt=" + attempt
                + ", body=" + body.length + " bytes]";
    }
}
