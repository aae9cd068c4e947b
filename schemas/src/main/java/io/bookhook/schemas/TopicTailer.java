package io.bookhook.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads topics outside any consumer group, from their beginning or from given offsets, and tells when it has read
 * everything they held when it started: "caught up as of now". Only what committed transactions wrote counts
 * ({@code read_committed}), so a stage that died mid-transaction leaves no trace in what a reader sees. Every reader
 * of bookhook's own state topics (the ledger, the endpoint control and status, the sink's delivery index) reads
 * through one. Not thread-safe, like the consumer it wraps, except {@link #wakeup()}.
 */
public final class TopicTailer<K, V> implements AutoCloseable {

    /** The offset that stands for a partition's beginning in {@link #from}. */
    public static final long BEGINNING = -1;

    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<K, V> consumer;
    private Map<TopicPartition, Long> end = Map.of();

    /** Reads with a consumer configured elsewhere (as {@link #readerConfig} does, plus whatever its owner needs). */
    public TopicTailer(Consumer<K, V> consumer) {
        this.consumer = consumer;
    }

    /**
     * A tailer with a consumer of its own: the user's client properties (TLS, SASL, tuning) with the ones a tailer
     * rests on set over them.
     */
    public static <K, V> TopicTailer<K, V> open(Map<String, ?> kafkaClient, String clientIdPrefix, Deserializer<K> keys, Deserializer<V> values) {
        return new TopicTailer<>(new KafkaConsumer<>(readerConfig(kafkaClient, clientIdPrefix), keys, values));
    }

    /**
     * Committed records only, in no group (it owns no offsets, commits nothing), as {@code <clientIdPrefix>-<random>} so
     * that two readers in one process do not share a client id.
     */
    public static Map<String, Object> readerConfig(Map<String, ?> kafkaClient, String clientIdPrefix) {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + UUID.randomUUID());
        return config;
    }

    /**
     * The partitions of {@code topic}; empty when it does not exist. Throws Kafka's {@code TimeoutException} when the
     * cluster does not answer within {@code timeout}.
     */
    public List<TopicPartition> partitionsOf(String topic, Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        return partitions == null ? List.of() : partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Reads these partitions from their beginning, up to their end as of now; returns that end. */
    public Map<TopicPartition, Long> fromBeginning(Collection<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, BEGINNING));
        return from(positions, timeout);
    }

    /**
     * Reads each partition from its offset ({@link #BEGINNING}, or any negative offset: its beginning) instead of
     * whatever was assigned before, up to its end as of now; returns that end.
     */
    public Map<TopicPartition, Long> from(Map<TopicPartition, Long> positions, Duration timeout) {
        consumer.assign(List.copyOf(positions.keySet()));
        List<TopicPartition> fromBeginning = positions.entrySet().stream().filter(entry -> entry.getValue() < 0).map(Map.Entry::getKey).toList();
        if (!fromBeginning.isEmpty()) {
            consumer.seekToBeginning(fromBeginning);
        }
        positions.forEach((partition, offset) -> {
            if (offset >= 0) {
                consumer.seek(partition, offset);
            }
        });
        end = Map.copyOf(consumer.endOffsets(positions.keySet(), timeout));
        return end;
    }

    /** The end offsets marked by the last {@link #from}: what "caught up" means. */
    public Map<TopicPartition, Long> end() {
        return end;
    }

    /** True once every partition is read up to the end it had at the last {@link #from}. */
    public boolean caughtUp() {
        return end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }

    /**
     * Polls until caught up, giving every batch to {@code batches}; false when {@code timeout} passed first (what was
     * read by then has been given).
     */
    public boolean readToEnd(Duration timeout, java.util.function.Consumer<ConsumerRecords<K, V>> batches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            batches.accept(consumer.poll(POLL));
        }
        return true;
    }

    /** What arrived since the last poll, waiting up to {@code wait} for it. */
    public ConsumerRecords<K, V> poll(Duration wait) {
        return consumer.poll(wait);
    }

    public long position(TopicPartition partition) {
        return consumer.position(partition);
    }

    /** Stops reading every partition, until the next {@link #from}. */
    public void unassign() {
        consumer.assign(List.of());
        end = Map.of();
    }

    /** Ends a poll in progress, or the next one, with a {@code WakeupException}: the one call safe from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    public void close(Duration timeout) {
        consumer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
