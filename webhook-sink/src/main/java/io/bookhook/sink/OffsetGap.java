package io.bookhook.sink;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The one line for a consumer whose committed offset is no longer in the log (retention deleted the records, or the
 * topic was recreated): which partition, where the log runs now and how many records were never read.
 */
final class OffsetGap {

    private static final Duration LOOKUP = Duration.ofSeconds(30);

    private OffsetGap() {
    }

    /** {@code who}: "the sink"; {@code records}: what the topic holds, as in "events". */
    static IllegalStateException of(OffsetOutOfRangeException gap, Consumer<?, ?> consumer, String who, String records) {
        Map<TopicPartition, Long> positions = gap.offsetOutOfRangePartitions();
        Map<TopicPartition, Long> starts = Map.of();
        Map<TopicPartition, Long> ends = Map.of();
        try {
            starts = consumer.beginningOffsets(positions.keySet(), LOOKUP);
            ends = consumer.endOffsets(positions.keySet(), LOOKUP);
        } catch (KafkaException e) {
            // The line still names the partition and the offset.
        }
        StringJoiner parts = new StringJoiner("; ");
        for (Map.Entry<TopicPartition, Long> entry : positions.entrySet()) {
            parts.add(describe(entry.getKey(), entry.getValue(), starts.get(entry.getKey()), ends.get(entry.getKey()), records));
        }
        return new IllegalStateException(who + " stops rather than skip " + records + " it never read: " + parts
                + ". See the README, \"A gap in a topic\"", gap);
    }

    static String describe(TopicPartition partition, long committed, Long start, Long end, String records) {
        String where = "its committed offset " + committed + " of " + partition;
        if (start == null || end == null) {
            return where + " is not in the log any more";
        }
        if (committed < start) {
            return where + " is gone: the log now runs from " + start + " to " + end + ", so " + (start - committed) + " " + records
                    + " were deleted before it read them";
        }
        return where + " is past the log's end " + end + " (was the topic deleted and created again?)";
    }
}
