package io.bookhook.app;

import static io.bookhook.app.OperatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayCommandIT {

    private final OperatorFixture ops = new OperatorFixture();
    private TopicPartition partition0;

    @BeforeEach
    void eventsOfYesterdayAndTodayAllCommitted() throws Exception {
        partition0 = new TopicPartition(ops.topics.appointmentEvents(), 0);
        long yesterday = Instant.now().minus(Duration.ofHours(30)).toEpochMilli();
        long today = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", ops.kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(ops.topics.appointmentEvents(), 0, yesterday, "1", "old")).get();
            producer.send(new ProducerRecord<>(ops.topics.appointmentEvents(), 0, today, "2", "new")).get();
        }
        try (Admin admin = ops.kafka.admin()) {
            admin.alterConsumerGroupOffsets(ops.sinkGroup, Map.of(partition0, new OffsetAndMetadata(2))).all().get();
        }
    }

    @Test
    void should_reset_the_sink_group_to_the_first_event_of_the_last_24_hours() throws Exception {
        OperatorFixture.Run run = run(new ReplayCommand(ops.environment), "--since", "24h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("reset group " + ops.sinkGroup + " on " + ops.topics.appointmentEvents())
                .containsPattern("\\s0\\s+2\\s+1\\R");
        assertThat(committed()).isEqualTo(1);
    }

    @Test
    void should_change_nothing_on_a_dry_run() throws Exception {
        OperatorFixture.Run run = run(new ReplayCommand(ops.environment), "--since", Instant.now().minus(Duration.ofDays(2)).toString(), "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("would reset").containsPattern("\\s0\\s+2\\s+0\\R").contains("nothing changed (--dry-run)");
        assertThat(committed()).isEqualTo(2);
    }

    @Test
    void should_refuse_while_the_sink_runs_and_reject_a_bad_time() throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", ops.kafka.bootstrapServers(), "group.id", ops.sinkGroup,
                "client.id", "live-sink"));
        try (KafkaConsumer<String, String> sink = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            sink.subscribe(List.of(ops.topics.appointmentEvents()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sink.assignment().isEmpty() && System.nanoTime() < deadline) {
                sink.poll(Duration.ofMillis(100));
            }

            OperatorFixture.Run run = run(new ReplayCommand(ops.environment), "--since", "24h");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("bookhook replay: consumer group " + ops.sinkGroup + " has 1 live member(s) (live-sink@")
                    .contains("stop the sink first");
        }
        OperatorFixture.Run bad = run(new ReplayCommand(ops.environment), "--since", "last tuesday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("bookhook replay: cannot read --since 'last tuesday'");
        assertThat(committed()).isEqualTo(2);
    }

    private long committed() throws Exception {
        try (Admin admin = ops.kafka.admin()) {
            return admin.listConsumerGroupOffsets(ops.sinkGroup).partitionsToOffsetAndMetadata().get().get(partition0).offset();
        }
    }
}
