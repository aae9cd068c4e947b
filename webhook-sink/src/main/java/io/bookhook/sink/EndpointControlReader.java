package io.bookhook.sink;

import io.bookhook.schemas.EndpointControl;
import io.bookhook.schemas.TopicSpec;
import io.bookhook.schemas.TopicTailer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code bookhook.endpoint-control}, the operators' pause and resume per endpoint, all of it (every sink instance
 * obeys every word). The sink reads it to its end before it starts, so an endpoint paused before a restart stays paused.
 */
final class EndpointControlReader {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointControlReader.class);

    private final TopicTailer<String, byte[]> controls;
    private final String topic;
    private final Deserializer<EndpointControl> values = TopicSpec.ENDPOINT_CONTROL.values().deserializer();

    EndpointControlReader(Consumer<String, byte[]> consumer, String topic) {
        this.controls = new TopicTailer<>(consumer);
        this.topic = topic;
    }

    /** Every endpoint's latest word up to the end of the topic as of now: paused or not, by endpoint name. */
    Map<String, Boolean> catchUp(Duration timeout) {
        controls.fromBeginning(controls.partitionsOf(topic, timeout), timeout);
        Map<String, Boolean> paused = new HashMap<>();
        if (!controls.readToEnd(timeout, records -> paused.putAll(read(records)))) {
            throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
        }
        return paused;
    }

    /** The words that arrived since the last call. */
    Map<String, Boolean> poll() {
        return read(controls.poll(Duration.ZERO));
    }

    private Map<String, Boolean> read(ConsumerRecords<String, byte[]> records) {
        Map<String, Boolean> paused = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
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
        controls.close(Duration.ofSeconds(2));
    }
}
