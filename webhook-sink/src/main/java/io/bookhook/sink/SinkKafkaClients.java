package io.bookhook.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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

    /**
     * How long a member that died without leaving keeps its partitions when it does not come back (one that restarts
     * with the same instance id takes them back at once). Kafka's default is 45 s; BOOKHOOK_KAFKA_SESSION_TIMEOUT_MS
     * overrides it.
     */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 15_000;

    private SinkKafkaClients() {
    }

    /**
     * The group member reading events. Cooperative rebalancing moves only the partitions that change hands; static
     * membership ({@code group.instance.id}) gives a restarted instance its partitions back without a rebalance.
     */
    static Map<String, Object> consumer(SinkSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.instanceId() + "-events");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS / 5);
        config.putAll(settings.kafkaClient());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
        // Never reset: a partition the group never read starts at its beginning (the sink seeks there), and a committed
        // offset that retention deleted stops the sink rather than skip the deleted events without a word.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        // Only events of committed derive transactions; aborted ones would be webhooks for rows that never were.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Offsets are committed inside the producer's transaction, with the ledger records they account for.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * A consumer outside the group, assigned by hand: the requests reader (its offsets are committed for the group in
     * the sink's transactions) and the index restorer. Only what committed transactions wrote.
     */
    static Map<String, Object> assigned(SinkSettings settings, String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.instanceId() + "-" + role);
        // Restoring a partition of the delivery index reads it whole: large fetches, few round trips.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.putAll(settings.kafkaClient());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * The requests reader: assigned by hand and sought to the group's committed offset, or the beginning when there is
     * none. Never reset: a committed offset that retention deleted stops the sink rather than skip operators' requests.
     */
    static Map<String, Object> requests(SinkSettings settings) {
        Map<String, Object> config = assigned(settings, "requests");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return config;
    }

    /**
     * Values are bytes because one transaction carries ledger records and index entries (serialized by the engine)
     * and dead letters (the original bytes). The transactional id is the instance id: a restarted instance fences its
     * former self and aborts what it left open.
     */
    static Map<String, Object> producer(SinkSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A transaction lives for one commit (milliseconds). One a killed instance left open holds the group's offsets
        // "unstable", and the instance that takes its partitions over waits until the broker aborts it: after this
        // timeout instead of the default minute.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        config.putAll(settings.kafkaClient());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }
}
