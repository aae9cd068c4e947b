package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SourceOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("bookhook.cdc.appointments_appointment", 0);
    private static final TopicPartition P1 = new TopicPartition("bookhook.cdc.appointments_appointment", 1);

    @Test
    void a_committed_offset_retention_deleted_stops_derive_naming_partition_and_gap() {
        SourceOffsets offsets = new SourceOffsets(Map.of(P0, 120L, P1, 40L), Map.of(P0, 500L, P1, 0L), Map.of(P0, 900L, P1, 60L));

        assertThatThrownBy(offsets::requireNoGap).isInstanceOf(IllegalStateException.class)
                .hasMessage("derive stops rather than skip appointment changes it never read: its committed offset 120 of " + P0
                        + " is gone: the log now runs from 500 to 900, so 380 appointment changes were deleted before it read them."
                        + " See the README, \"A gap in a topic\"");
    }

    @Test
    void an_offset_past_the_end_of_a_topic_created_again_stops_derive_too() {
        SourceOffsets offsets = new SourceOffsets(Map.of(P0, 70L), Map.of(P0, 0L), Map.of(P0, 5L));

        assertThatThrownBy(offsets::requireNoGap).hasMessageContaining("its committed offset 70 of " + P0 + " is past the log's end 5");
    }

    @Test
    void offsets_inside_the_log_pass_and_nothing_resets_once_every_partition_was_read() {
        SourceOffsets read = new SourceOffsets(Map.of(P0, 500L, P1, 60L), Map.of(P0, 500L, P1, 0L), Map.of(P0, 900L, P1, 60L));
        read.requireNoGap();
        assertThat(read.resetPolicy()).isEqualTo("none");

        SourceOffsets firstStart = new SourceOffsets(Map.of(), Map.of(P0, 0L, P1, 0L), Map.of(P0, 9L, P1, 3L));
        firstStart.requireNoGap();
        assertThat(firstStart.resetPolicy()).as("a first start reads from the beginning").isEqualTo("earliest");
        assertThat(new SourceOffsets(Map.of(P0, 3L), Map.of(P0, 0L, P1, 0L), Map.of(P0, 9L, P1, 3L)).resetPolicy())
                .as("a partition never read").isEqualTo("earliest");
    }
}
