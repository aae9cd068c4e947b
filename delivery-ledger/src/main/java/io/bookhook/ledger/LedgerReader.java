package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.JsonSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the compacted ledger from its beginning to its current end and keeps the latest record per delivery
 * id: the ledger's state as of now. Only committed records count ({@code read_committed}), so a sink that
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
     * {@link LedgerView}, which keeps its copy on disk.
     */
    public Map<String, DeliveryRecord> snapshot(Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bookhook-ledger-reader-" + UUID.randomUUID());
        try (KafkaConsumer<String, DeliveryRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(DeliveryRecord.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<String, DeliveryRecord> latest = new LinkedHashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, DeliveryRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
            return latest;
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }
}
