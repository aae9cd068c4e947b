package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.EmbeddedPostgres;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY item 29 for capture, on the real stack: a row whose change is over Kafka's message size must not stop
 * capture (which would restart on the same row and fail again while the slot holds WAL).
 */
class OversizedChangeIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final String APPOINTMENTS = MAPPING.appointmentTable();

    private EmbeddedStack stack;
    private String database;
    private String jdbcUrl;
    private TopicNames topics;

    @BeforeEach
    void freshDatabaseAndTopics() {
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("oversized");
        jdbcUrl = stack.postgres().createReferenceDatabase(database);
        topics = TopicNames.prefixed(database);
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        stack.kafka().createTopic(topics.deadLetter(), 1, Map.of());
    }

    @Test
    void an_appointment_with_2_mb_of_notes_is_dead_lettered_and_capture_keeps_streaming_and_advancing_the_slot() throws Exception {
        execute("INSERT INTO appointments_salon (name) VALUES ('Studio')",
                "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 30, 25)",
                "INSERT INTO appointments_customer (name) VALUES ('Mei')");
        EmbeddedPostgres pg = stack.postgres();
        CaptureSettings settings = new CaptureSettings(new PostgresConnection(pg.host(), pg.port(), database, pg.user(), pg.password()),
                "public", MAPPING.capturedTables(), List.of(), "bookhook_heartbeat", database, database, database, database + ".offsets",
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics, Duration.ofMillis(10), Duration.ofSeconds(1),
                CaptureSettings.DEFAULT_MAX_MESSAGE_BYTES);
        try (CaptureEngine capture = CaptureEngine.start(settings)) {
            capture.awaitReady(Duration.ofSeconds(60));

            execute(insertAppointment("repeat('n', 2 * 1024 * 1024)"));
            String walAfterBigChange = query("SELECT pg_current_wal_lsn()::text");
            execute(insertAppointment("'window seat'"));

            List<ConsumerRecord<byte[], byte[]>> changes = read(topics.cdcTopic(APPOINTMENTS), 1);
            assertThat(changes).extracting(change -> text(change.key())).as("only the ordinary appointment reaches its topic")
                    .containsExactly("{\"id\":2}");
            JsonNode ordinary = Json.mapper().readTree(changes.get(0).value());
            assertThat(ordinary.at("/after/notes").asText()).isEqualTo("window seat");

            List<ConsumerRecord<byte[], byte[]>> letters = read(topics.deadLetter(), 1);
            assertThat(letters).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(text(letter.key())).isEqualTo("{\"id\":1}");
            assertThat(letter.value()).isNull();
            assertThat(header(letter, DeadLetterHeaders.REASON))
                    .matches("change of 2,[0-9]{3},[0-9]{3} bytes is over the 1,048,576-byte limit \\(BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES\\)");
            assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("capture");
            assertThat(header(letter, DeadLetterHeaders.TABLE)).isEqualTo(APPOINTMENTS);
            assertThat(header(letter, DeadLetterHeaders.SOURCE_LSN)).matches("[0-9]+");

            await().alias("slot " + database + "'s confirmed_flush_lsn passes " + walAfterBigChange + ", the WAL position after the big change")
                    .atMost(Duration.ofSeconds(30)).until(() -> Boolean.parseBoolean(query("SELECT (confirmed_flush_lsn >= '"
                            + walAfterBigChange + "'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = '" + database + "'")));
            assertThat(capture.stopped()).as("capture is still running").isNotDone();
        }
    }

    private static String insertAppointment(String notes) {
        return "INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at, notes) "
                + "VALUES (1, 1, 1, now() + interval '1 day', now() + interval '1 day 30 minutes', " + notes + ")";
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

    private String query(String sql) {
        return stack.postgres().queryOne(database, sql);
    }

    private void execute(String... statements) {
        stack.postgres().execute(database, statements);
    }
}
