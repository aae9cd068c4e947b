package io.bookhook.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client properties the sink's exactly-once loop depends on. The user's properties (TLS, SASL, tuning)
 * go in first; the ones correctness rests on are set after them, so they cannot be overridden by accident.
 */
final class SinkKafkaClients {

    private SinkKafkaClients() {
    }

    static Map<String, Object> consumer(SinkSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-consumer");
        config.putAll(settings.kafkaClient());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        // Only events of committed derive transactions; aborted ones would be webhooks for rows that never were.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Offsets are committed inside the producer's transaction, with the ledger records they account for.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /** Reads the whole ledger without a group: every instance needs all of it, not a share. */
    static Map<String, Object> ledgerReader(SinkSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-ledger-index");
        config.putAll(settings.kafkaClient());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Only what committed transactions wrote: an aborted "delivered" must not make the sink skip an event.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * Values are bytes because one transaction carries both ledger records (serialized by the processor) and
     * dead letters (the original bytes).
     */
    static Map<String, Object> producer(SinkSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId());
        config.putAll(settings.kafkaClient());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }
}
