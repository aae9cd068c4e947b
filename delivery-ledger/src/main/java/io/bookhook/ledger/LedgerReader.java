package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.TopicSpec;
import io.bookhook.schemas.TopicTailer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted ledger from its beginning to its current end and keeps the latest record per delivery
 * id: the ledger's state as of now. Only committed records count ({@link TopicTailer}), so a sink that
 * died mid-transaction leaves no trace here.
 */
public final class LedgerReader {

    private final Map<String, String> kafkaClient;
    private final String topic;

    public LedgerReader(Map<String, String> kafkaClient, String topic) {
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.topic = topic;
    }

    /**
     * Latest record per delivery id, in the order deliveries first appeared. Holds every record with its payload on the
     * heap: for small ledgers only (the demo's final table, tests). Operators' views of a real ledger use
     * {@link LedgerView}, which keeps its copy on disk. What was read by {@code timeout} when the end was not reached.
     */
    public Map<String, DeliveryRecord> snapshot(Duration timeout) {
        try (TopicTailer<String, DeliveryRecord> ledger = TopicTailer.open(kafkaClient, "bookhook-ledger-reader",
                TopicSpec.DELIVERY_LEDGER.keys().deserializer(), TopicSpec.DELIVERY_LEDGER.values().deserializer())) {
            ledger.fromBeginning(ledger.partitionsOf(topic, timeout), timeout);
            Map<String, DeliveryRecord> latest = new LinkedHashMap<>();
            ledger.readToEnd(timeout, records -> {
                for (ConsumerRecord<String, DeliveryRecord> record : records) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            });
            return latest;
        }
    }
}
