package io.bookhook.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.embedded.SharedEmbeddedStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Offsets reset on the real broker: by record timestamp, per partition, refusing a group that runs. */
class ConsumerGroupReplayIT {

    private static final Instant DAY = Instant.parse("2026-11-27T00:00:00Z");

    private final BrokerFixture broker = new BrokerFixture();
    private final String group = SharedEmbeddedStack.uniqueName("sink_group");
    private String events;

    @BeforeEach
    void eventsOfTwoDaysCommittedByTheSink() throws Exception {
        events = broker.topics.appointmentEvents();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(broker.client()), new StringSerializer(), new StringSerializer())) {
            // Partition 0: offsets 0,1 the day before, 2,3 on the day. Partition 1: only the day before. Partition 2: empty.
            long before = DAY.minus(Duration.ofHours(5)).toEpochMilli();
            long onTheDay = DAY.plus(Duration.ofHours(9)).toEpochMilli();
            producer.send(new ProducerRecord<>(events, 0, before, "a", "e0")).get();
            producer.send(new ProducerRecord<>(events, 0, before + 1, "a", "e1")).get();
            producer.send(new ProducerRecord<>(events, 0, onTheDay, "a", "e2")).get();
            producer.send(new ProducerRecord<>(events, 0, onTheDay + 1, "a", "e3")).get();
            producer.send(new ProducerRecord<>(events, 1, before, "b", "e4")).get();
        }
        try (Admin admin = broker.kafka.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(
                    new TopicPartition(events, 0), new OffsetAndMetadata(4),
                    new TopicPartition(events, 1), new OffsetAndMetadata(1))).all().get();
        }
    }

    @Test
    void should_move_each_partition_to_its_first_event_since_the_time_and_others_to_their_end() throws Exception {
        try (Admin admin = broker.kafka.admin()) {
            ConsumerGroupReplay.Plan plan = new ConsumerGroupReplay(admin, Duration.ofSeconds(10)).reset(group, events, DAY);

            assertThat(plan.partitions()).containsExactly(
                    new ConsumerGroupReplay.PartitionReset(0, 4L, 2),
                    new ConsumerGroupReplay.PartitionReset(1, 1L, 1),
                    new ConsumerGroupReplay.PartitionReset(2, null, 0));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition(events, 0)).offset()).isEqualTo(2);
            assertThat(committed.get(new TopicPartition(events, 1)).offset()).isEqualTo(1);
            assertThat(committed.get(new TopicPartition(events, 2)).offset()).isEqualTo(0);
        }
    }

    @Test
    void should_never_move_a_lagging_group_forward_past_events_it_has_not_read() throws Exception {
        try (Admin admin = broker.kafka.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(events, 0), new OffsetAndMetadata(1))).all().get();

            ConsumerGroupReplay.Plan plan = new ConsumerGroupReplay(admin, Duration.ofSeconds(10)).reset(group, events, DAY);

            assertThat(plan.partitions().get(0)).isEqualTo(new ConsumerGroupReplay.PartitionReset(0, 1L, 1));
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(events, 0)).offset()).isEqualTo(1);
        }
    }

    @Test
    void should_plan_without_changing_anything_on_a_dry_run() throws Exception {
        try (Admin admin = broker.kafka.admin()) {
            ConsumerGroupReplay.Plan plan = new ConsumerGroupReplay(admin, Duration.ofSeconds(10)).plan(group, events, DAY);

            assertThat(plan.partitions().get(0).resumeAt()).isEqualTo(2);
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(events, 0)).offset()).isEqualTo(4);
        }
    }

    @Test
    void should_refuse_while_the_group_has_a_live_member() throws Exception {
        Map<String, Object> config = new HashMap<>(broker.client());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "running-sink");
        try (KafkaConsumer<String, String> sink = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
                Admin admin = broker.kafka.admin()) {
            sink.subscribe(List.of(events));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sink.assignment().isEmpty() && System.nanoTime() < deadline) {
                sink.poll(Duration.ofMillis(100));
            }
            assertThat(sink.assignment()).isNotEmpty();

            assertThatThrownBy(() -> new ConsumerGroupReplay(admin, Duration.ofSeconds(10)).reset(group, events, DAY))
                    .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                    .hasMessageStartingWith("consumer group " + group + " has 1 live member(s) (running-sink@")
                    .hasMessageEndingWith("stop the sink first, then replay; a running sink would overwrite the reset with its next commit");
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(events, 0)).offset()).isEqualTo(4);
        }
    }

    @Test
    void should_name_a_topic_that_does_not_exist() {
        try (Admin admin = broker.kafka.admin()) {
            assertThatThrownBy(() -> new ConsumerGroupReplay(admin, Duration.ofSeconds(10)).reset(group, "no-such-topic-" + group, DAY))
                    .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.NOT_FOUND))
                    .hasMessage("topic no-such-topic-" + group + " does not exist");
        }
    }
}
