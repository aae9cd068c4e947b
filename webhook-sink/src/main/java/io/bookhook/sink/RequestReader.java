package io.bookhook.sink;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads operators' requests from the partitions that match the event partitions this sink owns: a request for an
 * appointment lands on the same partition number as its events (both are keyed by the appointment), so the sink that
 * delivers an appointment is the one that carries out its retries and resends, and one delivery never has two
 * attempts at once. Assigned by hand as the group assigns events; its offsets live in the sink's group and are
 * committed in the same transactions.
 */
final class RequestReader {

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Set<TopicPartition> assigned = new HashSet<>();

    RequestReader(Consumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** Starts reading partition {@code partition} at the group's committed offset (the beginning when none); returns that position. */
    long assign(int partition, OffsetAndMetadata committed) {
        TopicPartition tp = new TopicPartition(topic, partition);
        assigned.add(tp);
        consumer.assign(List.copyOf(assigned));
        if (committed == null) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seek(tp, committed.offset());
        }
        return consumer.position(tp);
    }

    void unassign(int partition) {
        if (assigned.remove(new TopicPartition(topic, partition))) {
            consumer.assign(List.copyOf(assigned));
        }
    }

    TopicPartition partition(int partition) {
        return new TopicPartition(topic, partition);
    }

    boolean reads(TopicPartition partition) {
        return assigned.contains(partition);
    }

    /** The sink's one line for requests retention deleted before this reader got to them. */
    IllegalStateException gap(OffsetOutOfRangeException outOfRange) {
        return OffsetGap.of(outOfRange, consumer, "the sink", "operator requests");
    }

    ConsumerRecords<String, byte[]> poll() {
        return assigned.isEmpty() ? ConsumerRecords.empty() : consumer.poll(Duration.ZERO);
    }

    void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
