package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.EmbeddedPostgres;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.ReferenceSchema;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Capture on the real embedded stack: Postgres with logical replication, the Debezium engine, a KRaft broker. */
class CaptureEngineIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();

    private EmbeddedStack stack;
    private String database;
    private String jdbcUrl;
    private TopicNames topics;

    @BeforeEach
    void freshDatabaseAndTopics() {
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("capture");
        jdbcUrl = stack.postgres().createDatabase(database);
        topics = TopicNames.prefixed(SharedEmbeddedStack.uniqueName("capture"));
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
    }

    private static final List<SchemaRequirement> REQUIREMENTS = List.of(
            SchemaRequirement.table("appointments_appointment", "TABLE_SETTING"),
            SchemaRequirement.column("appointments_appointment", "status", "STATUS_SETTING"));

    private CaptureSettings settings(String db, String user) {
        return settings(db, user, REQUIREMENTS, Duration.ofSeconds(1));
    }

    private CaptureSettings settings(String db, String user, List<SchemaRequirement> requirements, Duration heartbeat) {
        EmbeddedPostgres pg = stack.postgres();
        return new CaptureSettings(new PostgresConnection(pg.host(), pg.port(), db, user, pg.password()), "public",
                MAPPING.capturedTables(), requirements, "bookhook_heartbeat", database, database, database, database + ".offsets",
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics, Duration.ofMillis(10), heartbeat);
    }

    @Test
    void an_inserted_row_reaches_its_raw_topic_keyed_by_primary_key() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user()))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");

            List<ConsumerRecord<byte[], byte[]>> changes = readAtLeast(topics.cdcTopic(MAPPING.customerTable()), 1);
            assertThat(new String(changes.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
            JsonNode envelope = Json.mapper().readTree(changes.get(0).value());
            assertThat(envelope.get("op").asText()).isEqualTo("c");
            assertThat(envelope.at("/after/name").asText()).isEqualTo("Mei");
            assertThat(envelope.at("/source/ts_ms").asLong()).isPositive();
        }
    }

    @Test
    void a_null_in_a_nullable_column_with_a_default_stays_null_instead_of_becoming_the_default() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        execute("ALTER TABLE appointments_customer ALTER COLUMN email DROP NOT NULL");
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user()))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', NULL)");

            JsonNode envelope = Json.mapper().readTree(readAtLeast(topics.cdcTopic(MAPPING.customerTable()), 1).get(0).value());
            assertThat(envelope.at("/after/name").asText()).isEqualTo("Mei");
            assertThat(envelope.at("/after/email").isNull()).as("email, whose default is ''").isTrue();
        }
    }

    @Test
    void a_restarted_capture_resumes_from_its_kafka_offsets_without_a_second_snapshot() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user()))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO appointments_customer (name) VALUES ('first')");
            readAtLeast(topics.cdcTopic(MAPPING.customerTable()), 1);
        }
        execute("INSERT INTO appointments_customer (name) VALUES ('while stopped')");
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user()))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO appointments_customer (name) VALUES ('after restart')");

            List<ConsumerRecord<byte[], byte[]>> changes = readAtLeast(topics.cdcTopic(MAPPING.customerTable()), 3);
            List<String> seen = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> change : changes) {
                JsonNode envelope = Json.mapper().readTree(change.value());
                seen.add(envelope.get("op").asText() + ":" + envelope.at("/after/name").asText());
            }
            assertThat(seen).containsExactly("c:first", "c:while stopped", "c:after restart");
        }
    }

    @Test
    void a_dropped_slot_stops_capture_instead_of_silently_skipping_what_was_committed_meanwhile() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        streamOneRowThenStop();
        execute("SELECT pg_drop_replication_slot('" + database + "')");

        assertThatThrownBy(() -> CaptureEngine.start(settings(database, stack.postgres().user())))
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageStartingWith("replication slot '" + database + "' no longer exists, but capture's offsets in "
                        + database + ".offsets reach LSN ")
                .message().doesNotContain("\n");
    }

    @Test
    void a_slot_ahead_of_the_offsets_stops_capture_instead_of_silently_skipping_the_gap() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        streamOneRowThenStop();
        execute("INSERT INTO appointments_customer (name) VALUES ('written while capture was down')");
        execute("SELECT pg_replication_slot_advance('" + database + "', pg_current_wal_lsn())");

        assertThatThrownBy(() -> CaptureEngine.start(settings(database, stack.postgres().user())))
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageContaining("are behind replication slot '" + database + "'");
    }

    private void streamOneRowThenStop() throws Exception {
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user()))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO appointments_customer (name) VALUES ('first')");
            readAtLeast(topics.cdcTopic(MAPPING.customerTable()), 1);
        }
    }

    @Test
    void a_missing_table_stops_capture_with_one_line_naming_it_and_its_setting() {
        assertThatThrownBy(() -> CaptureEngine.start(settings(database, stack.postgres().user())))
                .isInstanceOf(CaptureFailedException.class)
                .hasMessage("table public.appointments_appointment does not exist in Postgres (named by TABLE_SETTING)");
    }

    @Test
    void a_mapped_column_that_does_not_exist_stops_capture_with_one_line_naming_it_and_its_setting() {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        List<SchemaRequirement> requirements = List.of(SchemaRequirement.column("appointments_appointment", "state", "STATUS_SETTING"));

        assertThatThrownBy(() -> CaptureEngine.start(settings(database, stack.postgres().user(), requirements, Duration.ofSeconds(1))))
                .isInstanceOf(CaptureFailedException.class)
                .hasMessage("column public.appointments_appointment.state does not exist in Postgres (named by STATUS_SETTING)");
    }

    @Test
    void heartbeats_advance_the_slot_while_the_captured_tables_are_idle_and_another_table_is_busy() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        execute("CREATE TABLE busy_elsewhere (id bigserial PRIMARY KEY, payload text)");
        try (CaptureEngine capture = CaptureEngine.start(settings(database, stack.postgres().user(), REQUIREMENTS, Duration.ofMillis(200)))) {
            capture.awaitReady(Duration.ofSeconds(60));
            execute("INSERT INTO busy_elsewhere (payload) SELECT repeat('x', 500) FROM generate_series(1, 20000)");
            String walAfterBusyWork = query("SELECT pg_current_wal_lsn()::text");

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean advanced = false;
            while (!advanced && System.nanoTime() < deadline) {
                advanced = Boolean.parseBoolean(query("SELECT (confirmed_flush_lsn >= '" + walAfterBusyWork
                        + "'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = '" + database + "'"));
                Thread.sleep(200);
            }
            assertThat(advanced).as("slot's confirmed_flush_lsn passed %s", walAfterBusyWork).isTrue();
            assertThat(topicIsEmpty(topics.cdcTopic("bookhook_heartbeat"))).isTrue();
        }
    }

    @Test
    void an_unknown_user_stops_capture_with_one_line_naming_the_database() {
        assertThatThrownBy(() -> CaptureEngine.start(settings(database, "nobody_here")))
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageStartingWith("cannot connect to Postgres nobody_here@localhost:" + stack.postgres().port() + "/" + database + ": ")
                .hasMessageContaining("nobody_here")
                .message().doesNotContain("\n");
    }

    private String query(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Heartbeat-table changes only move offsets; they must never be published (the topic isn't even created). */
    private boolean topicIsEmpty(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = stack.kafka().admin()) {
            return !admin.listTopics().names().get().contains(topic);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int count) {
        return TopicReader.readAtLeast(stack.kafka().bootstrapServers(), topic, count, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), Duration.ofSeconds(60));
    }
}
