package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bookhook.schemas.IdempotencyKey;
import java.util.UUID;

/** Delivery ids: the ledger key and the {@code X-Delivery-Id} header. */
public final class DeliveryIds {

    private DeliveryIds() {
    }

    /**
     * The id of the delivery an event causes by itself. Derived from the idempotency key, so the same event
     * read again after a crash or a replay lands on the same ledger entry instead of a new one.
     */
    public static String forEvent(IdempotencyKey key) {
        return UUID.nameUUIDFromBytes(("event|" + key).getBytes(UTF_8)).toString();
    }

    /** A fresh id for a delivery an operator asks for on purpose (resend), which must not overwrite the original. */
    public static String random() {
        return UUID.randomUUID().toString();
    }
}
