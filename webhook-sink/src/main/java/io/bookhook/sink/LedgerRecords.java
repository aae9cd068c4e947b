package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.TopicSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** A delivery's state as the record the sink writes to the ledger: keyed by delivery id, so compaction keeps the latest. */
final class LedgerRecords {

    private final String topic;
    private final Serializer<DeliveryRecord> values = TopicSpec.DELIVERY_LEDGER.values().serializer();

    LedgerRecords(String topic) {
        this.topic = topic;
    }

    ProducerRecord<String, byte[]> of(DeliveryRecord state) {
        return new ProducerRecord<>(topic, state.deliveryId(), values.serialize(topic, state));
    }
}
