package io.bookhook.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.JsonSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** A ledger record as the store keeps it: JSON without its payload, which is stored beside it (lists never read payloads). */
final class StoredRecords {

    private static final Serializer<DeliveryRecord> SERIALIZER = JsonSerde.of(DeliveryRecord.class).serializer();
    private static final Deserializer<DeliveryRecord> DESERIALIZER = JsonSerde.of(DeliveryRecord.class).deserializer();

    private StoredRecords() {
    }

    static byte[] encodeWithoutPayload(DeliveryRecord record) {
        return SERIALIZER.serialize(null, withPayload(record, null));
    }

    /** The stored record, with {@code payload} (null: without). */
    static DeliveryRecord decode(byte[] stored, JsonNode payload) {
        return withPayload(DESERIALIZER.deserialize(null, stored), payload);
    }

    private static DeliveryRecord withPayload(DeliveryRecord r, JsonNode payload) {
        return new DeliveryRecord(r.deliveryId(), r.endpoint(), r.idempotencyKey(), r.eventType(), r.appointmentId(), r.status(),
                r.attempts(), r.nextAttemptAt(), r.lastResponseCode(), r.lastError(), r.responseExcerpt(), r.reason(), r.createdAt(),
                r.updatedAt(), payload);
    }
}
