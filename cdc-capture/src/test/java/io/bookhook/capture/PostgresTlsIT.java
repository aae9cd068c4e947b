package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.capture.PostgresTls.SslMode;
import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.Directories;
import io.bookhook.embedded.EmbeddedPostgres;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.PostgresTlsCertificates;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.StaleRunCleaner;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capture against a Postgres that accepts TCP connections over TLS only (hostssl lines alone in pg_hba.conf), its server
 * certificate, for localhost alone, signed by a CA made for the test. Kafka is the shared embedded broker.
 */
class PostgresTlsIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();

    private static Path runDir;
    private static PostgresTlsCertificates.Authority authority;
    private static PostgresTlsCertificates.Authority otherAuthority;
    private static EmbeddedPostgres postgres;

    private EmbeddedStack stack;
    private String database;
    private TopicNames topics;

    @BeforeAll
    static void postgresWithTls() {
        runDir = StaleRunCleaner.newRunDir(StaleRunCleaner.defaultBase());
        Path certificates = runDir.resolve("certificates");
        authority = PostgresTlsCertificates.authority(certificates, "bookhook-test-ca");
        otherAuthority = PostgresTlsCertificates.authority(certificates, "some-other-ca");
        // localhost only: connecting to 127.0.0.1 reaches the same server under a name its certificate does not list.
        PostgresTlsCertificates.ServerCertificate server = authority.issueServerCertificate(certificates, "postgres-server", "dns:localhost");
        postgres = EmbeddedPostgres.startWithTls(runDir, server);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
        Directories.deleteQuietly(runDir);
    }

    @BeforeEach
    void freshDatabaseAndTopics() {
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("tls");
        postgres.createReferenceDatabase(database);
        topics = TopicNames.prefixed(SharedEmbeddedStack.uniqueName("tls"));
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
    }

    @Test
    void verify_full_with_the_servers_ca_streams_an_insert_to_kafka_over_tls() throws Exception {
        try (CaptureEngine capture = CaptureEngine.start(settings("localhost", verifying(SslMode.VERIFY_FULL, authority)))) {
            capture.awaitReady(Duration.ofSeconds(60));
            postgres.execute(database, "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");

            List<ConsumerRecord<byte[], byte[]>> changes = TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                    topics.cdcTopic(MAPPING.customerTable()), 1, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Duration.ofSeconds(60));
            JsonNode envelope = Json.mapper().readTree(changes.get(0).value());
            assertThat(envelope.get("op").asText()).isEqualTo("c");
            assertThat(envelope.at("/after/name").asText()).isEqualTo("Mei");
            assertThat(postgres.queryOne(database, "SELECT s.ssl FROM pg_replication_slots r JOIN pg_stat_ssl s ON s.pid = r.active_pid"
                    + " WHERE r.slot_name = '" + database + "'")).as("Debezium's replication connection uses TLS").isEqualTo("t");
        }
    }

    @Test
    void a_server_certificate_from_another_ca_stops_capture_at_start_naming_the_root_certificate_setting() {
        CaptureSettings settings = settings("localhost", verifying(SslMode.VERIFY_FULL, otherAuthority));

        assertThatThrownBy(() -> CaptureEngine.start(settings).close())
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageContaining("the server's TLS certificate could not be verified")
                .hasMessageContaining("BOOKHOOK_POSTGRES_SSLROOTCERT (" + otherAuthority.certificate() + ")")
                .hasMessageNotContaining("\n");
    }

    @Test
    void a_host_name_the_certificate_does_not_list_stops_capture_at_start_naming_host_and_sslmode() {
        CaptureSettings settings = settings("127.0.0.1", verifying(SslMode.VERIFY_FULL, authority));

        assertThatThrownBy(() -> CaptureEngine.start(settings).close())
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageContaining("the host name 127.0.0.1 does not match the server's TLS certificate")
                .hasMessageContaining("BOOKHOOK_POSTGRES_HOST")
                .hasMessageContaining("BOOKHOOK_POSTGRES_SSLMODE")
                .hasMessageNotContaining("\n");
    }

    @Test
    void verify_ca_checks_the_ca_but_not_the_host_name() {
        CapturePreflight.check(settings("127.0.0.1", verifying(SslMode.VERIFY_CA, authority)));

        assertThat(postgres.queryOne(database, "SELECT to_regclass('public.bookhook_heartbeat') IS NOT NULL"))
                .as("the preflight connected and created the heartbeat table").isEqualTo("t");
    }

    @Test
    void sslmode_disable_against_a_server_that_takes_only_tls_stops_capture_at_start_naming_sslmode() {
        CaptureSettings settings = settings("localhost", new PostgresTls(SslMode.DISABLE, null, null, null));

        assertThatThrownBy(() -> CaptureEngine.start(settings).close())
                .isInstanceOf(CaptureFailedException.class)
                .hasMessageContaining("accepts this connection only over TLS")
                .hasMessageContaining("BOOKHOOK_POSTGRES_SSLMODE is disable")
                .hasMessageNotContaining("\n");
    }

    private static PostgresTls verifying(SslMode mode, PostgresTlsCertificates.Authority ca) {
        return new PostgresTls(mode, ca.certificate(), null, null);
    }

    private CaptureSettings settings(String host, PostgresTls tls) {
        return new CaptureSettings(new PostgresConnection(host, postgres.port(), database, postgres.user(), postgres.password(), tls),
                "public", MAPPING.capturedTables(), List.of(SchemaRequirement.table("appointments_appointment", "TABLE_SETTING")),
                "bookhook_heartbeat", database, database, database, database + ".offsets",
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics, Duration.ofMillis(10), Duration.ofSeconds(1));
    }
}
