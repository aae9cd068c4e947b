package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY item 29 for derive, on the real stack: an event is larger than its change (it embeds the related rows),
 * so a change capture could write can still make an event Kafka refuses. Derive's producer gets a small
 * max.request.size here (64 KiB, so 24,576 bytes for events), so a salon with a 30,000-character address is enough to make
 * its appointments' events too large.
 */
class OversizedEventOnRealStackIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final int DERIVE_LIMIT = 65_536;

    private EmbeddedStack stack;
    private String name;
    private String jdbcUrl;
    private TopicNames topics;

    @BeforeEach
    void freshDatabaseAndTopics() {
        stack = SharedEmbeddedStack.get();
        name = SharedEmbeddedStack.uniqueName("bigevent");
        jdbcUrl = stack.postgres().createReferenceDatabase(name);
        topics = TopicNames.prefixed(name);
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        stack.kafka().createTopic(topics.appointmentEvents(), 1, Map.of());
        stack.kafka().createTopic(topics.deadLetter(), 1, Map.of());
    }

    @Test
    void an_event_over_derives_limit_is_dead_lettered_and_derive_goes_on_with_the_next_appointment() throws Exception {
        execute("INSERT INTO appointments_salon (name, address) VALUES ('Grand Studio', repeat('a', 30000))",
                "INSERT INTO appointments_salon (name, address) VALUES ('Studio', '1 Road')",
                "INSERT INTO appointments_stylist (salon_id, name) VALUES (2, 'Ana')",
                "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (2, 'Cut', 30, 25)",
                "INSERT INTO appointments_customer (name) VALUES ('Mei')");
        try (DeriveStreams derive = DeriveStreams.start(deriveSettings());
                CaptureEngine capture = CaptureEngine.start(captureSettings())) {
            capture.awaitReady(Duration.ofSeconds(60));

            execute(insertAppointment(1));
            execute(insertAppointment(2));

            List<ConsumerRecord<byte[], byte[]>> events = read(topics.appointmentEvents(), 1);
            assertThat(events).extracting(event -> text(event.key())).containsExactly("appointment:2:created");

            List<ConsumerRecord<byte[], byte[]>> letters = read(topics.deadLetter(), 1);
            assertThat(letters).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(text(letter.key())).isEqualTo("appointment:1:created");
            assertThat(letter.value()).isNull();
            assertThat(header(letter, DeadLetterHeaders.REASON))
                    .matches("event of 3[0-9],[0-9]{3} bytes is over the 24,576-byte event limit .*");
            assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("derive");

            assertThat(derive.stopped()).as("derive is still running").isNotDone();
            assertThat(derive.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static String insertAppointment(long salonId) {
        return "INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at) "
                + "VALUES (1, " + salonId + ", 1, 1, now() + interval '1 day', now() + interval '1 day 30 minutes')";
    }

    private CaptureSettings captureSettings() {
        return new CaptureSettings(new PostgresConnection(stack.postgres().host(), stack.postgres().port(), name,
                stack.postgres().user(), stack.postgres().password()), "public", MAPPING.capturedTables(), List.of(),
                "bookhook_heartbeat", name, name, name, name + ".offsets", Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                topics, Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    private DeriveSettings deriveSettings() {
        return new DeriveSettings(name, Map.of("bootstrap.servers", stack.kafka().bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(DERIVE_LIMIT)), topics, MAPPING,
                Duration.ofSeconds(10), Duration.ofMillis(100), stack.workDir().resolve(name), Duration.ZERO);
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        return TopicReader.readAtLeast(stack.kafka().bootstrapServers(), topic, count, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Duration.ofSeconds(60));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null : text(record.headers().lastHeader(name).value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void execute(String... statements) {
        stack.postgres().execute(name, statements);
    }
}
