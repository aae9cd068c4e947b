package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.appointment;
import static io.bookhook.derive.ChangeEvents.change;
import static io.bookhook.derive.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Derive whose committed position in the appointment change topic retention deleted does not start, and says why. */
class DeriveOffsetGapIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();

    private final EmbeddedKafka kafka = SharedEmbeddedStack.get().kafka();
    private final String name = SharedEmbeddedStack.uniqueName("derive-gap");
    private final TopicNames topics = TopicNames.prefixed(name);
    private final TopicPartition source = new TopicPartition(topics.cdcTopic(MAPPING.appointmentTable()), 0);

    @Test
    void a_committed_offset_deleted_by_retention_stops_derive_at_start_naming_partition_and_gap() throws Exception {
        kafka.createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        kafka.createTopic(topics.appointmentEvents(), 1, Map.of());
        kafka.createTopic(topics.deadLetter(), 1, Map.of());
        DeriveSettings settings = new DeriveSettings(name, Map.of("bootstrap.servers", kafka.bootstrapServers()), topics, MAPPING,
                Duration.ZERO, Duration.ofMillis(100), Path.of("target", name), Duration.ZERO);
        appointments(1, 3);
        try (DeriveStreams derive = DeriveStreams.start(settings); Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin), offset -> offset == 3);
        }
        appointments(4, 6);
        try (Admin admin = kafka.admin()) { // what retention does: the log now starts at 5
            admin.deleteRecords(Map.of(source, RecordsToDelete.beforeOffset(5))).all().get();
        }

        assertThatThrownBy(() -> DeriveStreams.start(settings)).isInstanceOf(IllegalStateException.class)
                .hasMessage("derive stops rather than skip appointment changes it never read: its committed offset 3 of " + source
                        + " is gone: the log now runs from 5 to 6, so 2 appointment changes were deleted before it read them."
                        + " See the README, \"A gap in a topic\"");
    }

    private long committed(Admin admin) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(name).partitionsToOffsetAndMetadata().get().get(source);
        return offset == null ? -1 : offset.offset();
    }

    private void appointments(long from, long to) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long id = from; id <= to; id++) {
                producer.send(new ProducerRecord<>(source.topic(), 0, key(id), change("c", appointment(id, "pending"))));
            }
        }
    }
}
