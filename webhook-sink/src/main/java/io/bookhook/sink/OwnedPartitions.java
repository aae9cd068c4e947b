package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The input partitions this sink owns, and which of their records are still open: a record stays open while it is
 * being read and while any delivery it caused is neither final nor parked, and the committable offset is the lowest
 * open one.
 */
final class OwnedPartitions {

    private final TopicNames topics;
    private final Set<Integer> owned = new HashSet<>();
    private final Map<TopicPartition, OffsetTracker> offsets = new HashMap<>();

    OwnedPartitions(TopicNames topics) {
        this.topics = topics;
    }

    /** Partition {@code partition} of the events and requests topics is read from the given positions. */
    void assigned(int partition, long eventsPosition, long requestsPosition) {
        owned.add(partition);
        offsets.put(new TopicPartition(topics.appointmentEvents(), partition), new OffsetTracker(eventsPosition));
        offsets.put(new TopicPartition(topics.deliveryRequests(), partition), new OffsetTracker(requestsPosition));
    }

    /** The partition is leaving: its open records still count until it is {@link #forget forgotten}. */
    void revoking(int partition) {
        owned.remove(partition);
    }

    void forget(int partition) {
        owned.remove(partition);
        offsets.keySet().removeIf(tp -> tp.partition() == partition);
    }

    boolean owns(int partition) {
        return owned.contains(partition);
    }

    Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    /** Hands {@code record}'s partition to {@code read}, with the record held open while it reads. */
    void reading(ConsumerRecord<?, ?> record, Consumer<TopicPartition> read) {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = tracker(source);
        tracker.hold(record.offset());
        try {
            read.accept(source);
        } finally {
            tracker.release(record.offset());
        }
    }

    /** {@code d} keeps its source record open until it is {@link #release released}. */
    void hold(Delivery d, TopicPartition source, long offset) {
        d.source = source;
        d.sourceOffset = offset;
        tracker(source).hold(offset);
    }

    void release(Delivery d) {
        if (d.source != null) {
            OffsetTracker tracker = offsets.get(d.source);
            if (tracker != null) {
                tracker.release(d.sourceOffset);
            }
            d.source = null;
        }
    }

    /** The offset to commit of every input partition this sink reads. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        offsets.forEach((tp, tracker) -> committable.put(tp, new OffsetAndMetadata(tracker.committable())));
        return committable;
    }

    /** Records read but not done with, per partition: what a crash would make the next owner read again. */
    Map<TopicPartition, Integer> openRecords() {
        Map<TopicPartition, Integer> open = new HashMap<>();
        offsets.forEach((tp, tracker) -> open.put(tp, tracker.openCount()));
        return open;
    }

    private OffsetTracker tracker(TopicPartition source) {
        OffsetTracker tracker = offsets.get(source);
        if (tracker == null) {
            throw new IllegalStateException("a record of " + source + " arrived, which this sink was not assigned");
        }
        return tracker;
    }
}
