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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capture run by a role that is not a superuser, holding exactly the privileges the README's block grants: it streams;
 * without any one of them it stops at start, before it creates anything, with one line naming the missing grant and
 * its SQL. The embedded Postgres trusts local connections (any password works), but checks every privilege.
 */
class CapturePrivilegesIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final String ALL_TABLES = "public.appointments_appointment, public.appointments_customer, public.appointments_salon, "
            + "public.appointments_stylist, public.appointments_service";

    private EmbeddedStack stack;
    private String database;
    private String app;
    private String cdc;
    private TopicNames topics;

    @BeforeEach
    void bookingDatabaseOwnedByTheAppsRole() {
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("privileges");
        String jdbcUrl = stack.postgres().createDatabase(database);
        // Roles belong to the whole server, which the tests share: unique names.
        app = SharedEmbeddedStack.uniqueName("booking_app");
        cdc = SharedEmbeddedStack.uniqueName("bookhook_cdc");
        superuser("CREATE ROLE " + app + " LOGIN", "GRANT CREATE ON SCHEMA public TO " + app);
        ReferenceSchema.apply(jdbcUrl, app, "any");
        // Only so that it could create its tables: capture's role joins this one, and must not get CREATE on the schema from it.
        superuser("REVOKE CREATE ON SCHEMA public FROM " + app);
        topics = TopicNames.prefixed(database);
    }

    @Test
    void the_readme_role_streams_an_insert_onto_its_topic() throws Exception {
        readmeRole();
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        try (CaptureEngine capture = CaptureEngine.start(settings())) {
            capture.awaitReady(Duration.ofSeconds(90));
            stack.postgres().execute(database, "INSERT INTO appointments_customer (name) VALUES ('Mei')");

            List<ConsumerRecord<byte[], byte[]>> changes = readCustomers(1);
            JsonNode envelope = Json.mapper().readTree(changes.get(0).value());
            assertThat(envelope.get("op").asText()).isEqualTo("c");
            assertThat(envelope.at("/after/name").asText()).isEqualTo("Mei");
        }
        assertThat(query("SELECT rolsuper FROM pg_roles WHERE rolname = '" + cdc + "'")).isEqualTo("f");
        assertThat(query("SELECT pubowner::regrole::text FROM pg_publication WHERE pubname = '" + database + "'")).isEqualTo(cdc);
    }

    @Test
    void once_the_publication_and_heartbeat_table_exist_the_role_needs_neither_ownership_nor_create() throws Exception {
        readmeRole();
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        try (CaptureEngine capture = CaptureEngine.start(settings())) {
            capture.awaitReady(Duration.ofSeconds(90));
            stack.postgres().execute(database, "INSERT INTO appointments_customer (name) VALUES ('first')");
            readCustomers(1);
        }
        superuser("REVOKE " + app + " FROM " + cdc, "REVOKE CREATE ON DATABASE " + database + " FROM " + cdc,
                "REVOKE CREATE ON SCHEMA public FROM " + cdc);

        try (CaptureEngine capture = CaptureEngine.start(settings())) {
            capture.awaitReady(Duration.ofSeconds(90));
            stack.postgres().execute(database, "INSERT INTO appointments_customer (name) VALUES ('second')");

            List<ConsumerRecord<byte[], byte[]>> changes = readCustomers(2);
            assertThat(Json.mapper().readTree(changes.get(1).value()).at("/after/name").asText()).isEqualTo("second");
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readCustomers(int count) {
        return TopicReader.readAtLeast(stack.kafka().bootstrapServers(), topics.cdcTopic(MAPPING.customerTable()), count,
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), Duration.ofSeconds(90));
    }

    @Test
    void without_replication_capture_names_the_attribute() {
        readmeRole();
        superuser("ALTER ROLE " + cdc + " NOREPLICATION");

        assertRefused("the REPLICATION attribute, to create and stream replication slot '" + database + "' (ALTER ROLE " + cdc + " REPLICATION)");
    }

    @Test
    void without_create_on_the_database_capture_names_the_grant() {
        readmeRole();
        superuser("REVOKE CREATE ON DATABASE " + database + " FROM " + cdc);

        assertRefused("CREATE on database " + database + ", to create publication '" + database + "' (GRANT CREATE ON DATABASE " + database
                + " TO " + cdc + ")");
    }

    @Test
    void without_create_on_the_schema_capture_names_the_grant() {
        readmeRole();
        superuser("REVOKE CREATE ON SCHEMA public FROM " + cdc);

        assertRefused("CREATE on schema public, to create the heartbeat table public.bookhook_heartbeat (GRANT CREATE ON SCHEMA public TO " + cdc + ")");
    }

    @Test
    void without_usage_on_the_schema_capture_names_the_grant() {
        readmeRole();
        superuser("REVOKE USAGE ON SCHEMA public FROM " + cdc + ", PUBLIC");

        assertRefused("USAGE on schema public, to read the tables in it (GRANT USAGE ON SCHEMA public TO " + cdc + ")");
    }

    @Test
    void without_ownership_of_the_tables_capture_names_their_owner_to_grant() {
        readmeRole();
        superuser("REVOKE " + app + " FROM " + cdc);

        assertRefused("ownership of " + ALL_TABLES + " (owned by " + app + "), to list them in publication '" + database + "' (GRANT " + app
                + " TO " + cdc + ")");
    }

    @Test
    void a_table_neither_owned_nor_readable_is_named_for_both() {
        readmeRole();
        String other = SharedEmbeddedStack.uniqueName("other_owner");
        superuser("CREATE ROLE " + other, "ALTER TABLE appointments_salon OWNER TO " + other, "REVOKE SELECT ON appointments_salon FROM " + cdc);

        assertRefused("ownership of public.appointments_salon (owned by " + other + "), to list it in publication '" + database + "' (GRANT "
                + other + " TO " + cdc + "); SELECT on public.appointments_salon, for the snapshot (GRANT SELECT ON public.appointments_salon TO "
                + cdc + ")");
    }

    @Test
    void a_publication_of_other_tables_owned_by_another_role_is_named() {
        readmeRole();
        superuser("CREATE PUBLICATION " + database + " FOR TABLE appointments_customer");

        assertRefused("ownership of publication '" + database + "' (owned by postgres), to set the tables it lists (ALTER PUBLICATION " + database
                + " OWNER TO " + cdc + ")");
        assertThat(query("SELECT string_agg(tablename, ',') FROM pg_publication_tables WHERE pubname = '" + database + "'"))
                .as("the publication's tables, untouched").isEqualTo("appointments_customer");
    }

    @Test
    void a_heartbeat_table_made_by_someone_else_needs_writes_and_ownership() {
        readmeRole();
        superuser("CREATE TABLE bookhook_heartbeat (id integer PRIMARY KEY, beat_at timestamptz NOT NULL)");

        assertRefused("ownership of public.bookhook_heartbeat (owned by postgres), to list it in publication '" + database + "' (GRANT postgres TO "
                + cdc + "); SELECT, INSERT and UPDATE on the heartbeat table public.bookhook_heartbeat, to write heartbeats "
                + "(GRANT SELECT, INSERT, UPDATE ON public.bookhook_heartbeat TO " + cdc + ")", true);
    }

    @Test
    void a_role_with_only_login_is_told_every_missing_grant_in_one_line() {
        superuser("CREATE ROLE " + cdc + " LOGIN");

        assertRefused(String.join("; ",
                "the REPLICATION attribute, to create and stream replication slot '" + database + "' (ALTER ROLE " + cdc + " REPLICATION)",
                "CREATE on database " + database + ", to create publication '" + database + "' (GRANT CREATE ON DATABASE " + database + " TO " + cdc + ")",
                "ownership of " + ALL_TABLES + " (owned by " + app + "), to list them in publication '" + database + "' (GRANT " + app + " TO " + cdc + ")",
                "SELECT on " + ALL_TABLES + ", for the snapshot (GRANT SELECT ON " + ALL_TABLES + " TO " + cdc + ")",
                "CREATE on schema public, to create the heartbeat table public.bookhook_heartbeat (GRANT CREATE ON SCHEMA public TO " + cdc + ")"));
    }

    private void assertRefused(String missing) {
        assertRefused(missing, false);
    }

    private void assertRefused(String missing, boolean heartbeatTableExisted) {
        boolean publicationExisted = "1".equals(query("SELECT count(*) FROM pg_publication WHERE pubname = '" + database + "'"));
        assertThatThrownBy(() -> {
            try (CaptureEngine started = CaptureEngine.start(settings())) {
                // started after all: stopped again, so it cannot disturb the next test
            }
        }).isInstanceOf(CaptureFailedException.class)
                .hasMessage("capture's Postgres role '" + cdc + "' lacks privileges: " + missing);
        assertThat(query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + database + "'")).as("slots").isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_publication WHERE pubname = '" + database + "'")).as("publications")
                .isEqualTo(publicationExisted ? "1" : "0");
        assertThat(query("SELECT to_regclass('public.bookhook_heartbeat') IS NOT NULL")).as("heartbeat table exists")
                .isEqualTo(heartbeatTableExisted ? "t" : "f");
    }

    /** The README's block, as written there, for this test's database, role and app role. */
    private void readmeRole() {
        String block = readmeBlock()
                .replace("bookhook_cdc", cdc)
                .replace("booking_app", app)
                .replaceAll("\\bbooking\\b", database);
        superuser(block);
    }

    static String readmeBlock() {
        Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
        try {
            Matcher block = Pattern.compile("```sql\n(CREATE ROLE bookhook_cdc .*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
            assertThat(block.find()).as("a ```sql block starting CREATE ROLE bookhook_cdc in %s", readme).isTrue();
            return block.group(1);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + readme, e);
        }
    }

    private CaptureSettings settings() {
        EmbeddedPostgres pg = stack.postgres();
        return new CaptureSettings(new PostgresConnection(pg.host(), pg.port(), database, cdc, "any"), "public",
                MAPPING.capturedTables(), List.of(SchemaRequirement.table(MAPPING.appointmentTable(), "TABLE_SETTING")), "bookhook_heartbeat",
                database, database, database, database + ".offsets", Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics,
                Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    private void superuser(String... statements) {
        stack.postgres().execute(database, statements);
    }

    private String query(String sql) {
        return stack.postgres().queryOne(database, sql);
    }
}
