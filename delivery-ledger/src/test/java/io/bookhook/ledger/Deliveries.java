package io.bookhook.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import java.time.Instant;

/** Ledger records as the sink writes them, for tests. */
public final class Deliveries {

    public static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    private Deliveries() {
    }

    public static DeliveryRecord record(String deliveryId, String appointmentId, EventType type, DeliveryStatus status, Instant updatedAt) {
        JsonNode payload = Json.mapper().createObjectNode().put("event_type", type.wireName())
                .put("idempotency_key", IdempotencyKey.of(appointmentId, type).toString());
        DeliveryRecord pending = DeliveryRecord.pending(deliveryId, "make", IdempotencyKey.of(appointmentId, type), DeliveryReason.EVENT, payload,
                T0);
        boolean ok = status == DeliveryStatus.DELIVERED;
        return pending.next(status, status == DeliveryStatus.PENDING ? 0 : 3, ok ? 200 : 503, ok ? null : "HTTP 503",
                ok ? "ok" : "receiver down", updatedAt);
    }

    public static DeliveryRecord failed(String deliveryId, String appointmentId, EventType type) {
        return record(deliveryId, appointmentId, type, DeliveryStatus.FAILED, T0.plusSeconds(10));
    }

    public static DeliveryRecord delivered(String deliveryId, String appointmentId, EventType type) {
        return record(deliveryId, appointmentId, type, DeliveryStatus.DELIVERED, T0.plusSeconds(5));
    }
}
