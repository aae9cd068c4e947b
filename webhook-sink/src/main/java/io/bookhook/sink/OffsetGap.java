package io.bookhook.sink;

import io.bookhook.schemas.OffsetGaps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** The sink's one line ({@link OffsetGaps}) for the partitions a consumer found its committed offset out of range in. */
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
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : positions.entrySet()) {
            TopicPartition partition = entry.getKey();
            long committed = entry.getValue();
            // Kafka said it is out of range: should the log have moved since, say so without the bounds.
            gaps.add(OffsetGaps.describe(partition, committed, starts.get(partition), ends.get(partition), records)
                    .or(() -> OffsetGaps.describe(partition, committed, null, null, records)).orElseThrow());
        }
        return OffsetGaps.stop(who, records, gaps, gap);
    }
}
