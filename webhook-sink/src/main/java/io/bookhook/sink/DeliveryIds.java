package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bookhook.schemas.IdempotencyKey;
import java.util.UUID;

/** Delivery ids (the ledger key and {@code X-Delivery-Id}) and Standard Webhooks message ids. */
public final class DeliveryIds {

    private DeliveryIds() {
    }

    /**
     * The id of the delivery of an event to one endpoint: a name-based UUID of both, so the same event read again
     * after a crash or a replay lands on the same ledger entry instead of a new one, and each endpoint has its own.
     */
    public static String forEvent(String endpoint, IdempotencyKey key) {
        return UUID.nameUUIDFromBytes(("event|" + endpoint + "|" + key).getBytes(UTF_8)).toString();
    }

    /**
     * The ledger entry saying that the event at {@code source} ({@code topic-partition@offset}) was read again
     * and not posted because its key was delivered before. A separate id, so the record of the delivery that
     * did go out is not overwritten in the compacted ledger; deterministic, so reading the same offset yet
     * again writes the same entry.
     */
    public static String forSkip(String endpoint, IdempotencyKey key, String source) {
        return UUID.nameUUIDFromBytes(("skip|" + endpoint + "|" + key + "|" + source).getBytes(UTF_8)).toString();
    }

    /**
     * The Standard Webhooks {@code webhook-id}: one per idempotency key, the same on every attempt, replay and
     * resend, so a receiver deduplicating on it (as the spec advises) drops what it already has.
     */
    public static String webhookId(IdempotencyKey key) {
        return "msg_" + UUID.nameUUIDFromBytes(("webhook|" + key).getBytes(UTF_8)).toString().replace("-", "");
    }

    /**
     * The id of a delivery an operator asked for on purpose (resend): new, so it never overwrites the original
     * delivery's ledger entry, and derived from the request, so the same request read twice lands on one entry.
     */
    public static String forResend(String requestId, String endpoint, IdempotencyKey key) {
        return UUID.nameUUIDFromBytes(("resend|" + requestId + "|" + endpoint + "|" + key).getBytes(UTF_8)).toString();
    }
}
