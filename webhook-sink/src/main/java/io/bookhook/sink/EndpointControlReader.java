package io.bookhook.sink;

import io.bookhook.schemas.EndpointControl;
import io.bookhook.schemas.JsonSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code bookhook.endpoint-control}, the operators' pause and resume per endpoint, all of it (every sink instance
 * obeys every word). The sink reads it to its end before it starts, so an endpoint paused before a restart stays paused.
 */
final class EndpointControlReader {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointControlReader.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<EndpointControl> values = JsonSerde.of(EndpointControl.class).deserializer();

    EndpointControlReader(Consumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** Every endpoint's latest word up to the end of the topic as of now: paused or not, by endpoint name. */
    Map<String, Boolean> catchUp(Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<String, Boolean> paused = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            paused.putAll(read(Duration.ofMillis(100)));
        }
        return paused;
    }

    /** The words that arrived since the last call. */
    Map<String, Boolean> poll() {
        return read(Duration.ZERO);
    }

    private Map<String, Boolean> read(Duration wait) {
        Map<String, Boolean> paused = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            if (record.value() == null) {
                continue;
            }
            try {
                EndpointControl control = values.deserialize(topic, record.value());
                paused.put(control.endpoint(), control.paused());
            } catch (RuntimeException unreadable) {
                LOG.warn("skipping unreadable endpoint control record at {}-{}@{}", record.topic(), record.partition(), record.offset());
            }
        }
        return paused;
    }

    void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
