package io.bookhook.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from its beginning for tests: waits until at least {@code count} committed records arrived,
 * then keeps reading briefly, so that a duplicate or an extra record shows up in the test's assertion
 * instead of being missed.
 */
public final class TopicReader {

    private static final Duration SETTLE = Duration.ofSeconds(1);

    private TopicReader() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> readAtLeast(String bootstrapServers, String topic, int count,
            Deserializer<K> keys, Deserializer<V> values, Duration timeout) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "group.id", "reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed", "enable.auto.commit", "false");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            long settle = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        if (records.size() < count) {
            throw new AssertionError("expected at least " + count + " records on " + topic + " within " + timeout + ", got " + records.size());
        }
        return records;
    }
}
