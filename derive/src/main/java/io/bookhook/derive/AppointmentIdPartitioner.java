package io.bookhook.derive;

import io.bookhook.schemas.AppointmentPartition;
import io.bookhook.schemas.IdempotencyKey;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Places every event of one appointment on one partition, whatever its event type, so the sink sees an
 * appointment's created before its confirmed. Keys differ per event type, so the default partitioner would not.
 */
final class AppointmentIdPartitioner implements StreamPartitioner<String, Object> {

    /** By the key alone, so the value may be the event or its serialized bytes. */
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
        return Optional.of(Set.of(partitionOf(IdempotencyKey.parse(key).appointmentId(), numPartitions)));
    }

    static int partitionOf(String appointmentId, int numPartitions) {
        return AppointmentPartition.of(appointmentId, numPartitions);
    }
}
