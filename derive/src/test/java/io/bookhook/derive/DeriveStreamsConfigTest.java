package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class DeriveStreamsConfigTest {

    @Test
    void a_killed_instance_keeps_its_partitions_15_s_unless_the_operator_sets_the_session_timeout() {
        StreamsConfig defaults = new StreamsConfig(DeriveStreams.streamsConfig(settings(Map.of("bootstrap.servers", "kafka:9092"))));
        assertThat(defaults.getMainConsumerConfigs("derive", "derive-1", 0)).containsEntry("session.timeout.ms", 15_000)
                .containsEntry("heartbeat.interval.ms", 3_000);

        StreamsConfig operators = new StreamsConfig(DeriveStreams.streamsConfig(settings(Map.of("bootstrap.servers", "kafka:9092",
                "session.timeout.ms", "30000"))));
        assertThat(operators.getMainConsumerConfigs("derive", "derive-1", 0)).containsEntry("session.timeout.ms", "30000");
    }

    @Test
    void a_missing_source_topic_wherever_it_is_in_the_causes_is_told_apart_from_other_failures() {
        assertThat(DeriveStreams.causedByMissingSourceTopic(new org.apache.kafka.streams.errors.StreamsException(
                new org.apache.kafka.streams.errors.MissingSourceTopicException("Missing source topics.")))).isTrue();
        assertThat(DeriveStreams.causedByMissingSourceTopic(new org.apache.kafka.streams.errors.StreamsException("broken"))).isFalse();
    }

    private static DeriveSettings settings(Map<String, String> kafkaClient) {
        return new DeriveSettings("derive", kafkaClient, TopicNames.defaults(), TableMapping.referenceSchema(), Duration.ofSeconds(10),
                Duration.ofMillis(20), Path.of("target", "derive-config-test"), Duration.ofDays(90));
    }
}
