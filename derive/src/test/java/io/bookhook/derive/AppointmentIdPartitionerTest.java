package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AppointmentIdPartitionerTest {

    private final AppointmentIdPartitioner partitioner = new AppointmentIdPartitioner();

    @Test
    void both_events_of_an_appointment_go_to_one_partition() {
        for (int id = 1; id <= 200; id++) {
            Optional<Set<Integer>> created = partitioner.partitions("t", "appointment:" + id + ":created", null, 6);
            Optional<Set<Integer>> confirmed = partitioner.partitions("t", "appointment:" + id + ":confirmed", null, 6);
            assertThat(created).isEqualTo(confirmed);
            assertThat(created.orElseThrow()).hasSize(1);
        }
    }

    @Test
    void appointments_spread_over_every_partition() {
        Set<Integer> used = new HashSet<>();
        IntStream.rangeClosed(1, 200).forEach(id -> used.add(AppointmentIdPartitioner.partitionOf(Integer.toString(id), 6)));
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }
}
