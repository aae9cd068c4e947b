package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SaslSslListener;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TestCertificates;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker whose only client listener needs TLS and SASL (SCRAM-SHA-512), and bookhook told about it through the
 * {@code BOOKHOOK_KAFKA_*} variables alone: capture, derive and sink deliver a booked appointment, an operator command
 * and the admin read and act on the ledger, each in a JVM of its own, and no output of theirs holds a password. Its
 * failing twins: a wrong password and a trust store of another CA each stop a stage with one line.
 */
class KafkaSaslSslIT {

    private static final String NL = System.lineSeparator();
    private static final String USER = "bookhook";
    // Distinctive, so that finding one in an output cannot be a coincidence.
    private static final String PASSWORD = "scram-pw-4f9c2e71d0";
    private static final String WRONG_PASSWORD = "wrong-pw-0b8d33aa5e";
    private static final String STORE_PASSWORD = "store-pw-91e7d2c4b6";
    private static final String CREATED = "appointment:1:created";

    private static EmbeddedStack stack;
    private static Path dir;
    private static TestCertificates certificates;
    private static EmbeddedKafka kafka;

    private final List<BookhookProcess> processes = new ArrayList<>();
    private final List<BookhookProcess> stages = new ArrayList<>();
    private final Map<BookhookProcess, Integer> healthPorts = new LinkedHashMap<>();

    @BeforeAll
    static void startSecuredBroker() {
        stack = SharedEmbeddedStack.get();
        dir = stack.workDir().resolve(SharedEmbeddedStack.uniqueName("sasl_ssl"));
        certificates = TestCertificates.generate(dir.resolve("tls"), "bookhook-test-ca", STORE_PASSWORD);
        kafka = EmbeddedKafka.startWithSaslSsl(dir.resolve("kafka"), new SaslSslListener(certificates, USER, PASSWORD));
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(BookhookProcess::close);
    }

    @AfterAll
    static void stopSecuredBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void every_stage_an_operator_command_and_the_admin_work_against_sasl_ssl_set_only_through_bookhook_kafka_variables() throws Exception {
        String name = SharedEmbeddedStack.uniqueName("sasl_ssl");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            Map<String, String> environment = TestEnvironments.pipeline(stack, name, receiver.url().toString(), "sasl-ssl-signing-secret");
            environment.putAll(kafkaVariables(PASSWORD, certificates.trustStore()));
            assertThat(environment.get("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(kafka.saslSslBootstrapServers())
                    .isNotEqualTo(kafka.bootstrapServers());
            // INFO from every library, not the production WARN: the client and Debezium configuration dumps are where a password would leak.
            List<String> verbose = List.of("-Dlogback.configurationFile=" + infoLogging());

            for (String stage : List.of("capture", "derive", "sink")) {
                int port = freePort();
                BookhookProcess process = BookhookProcess.start(stageEnvironment(environment, port), dir, verbose, stage);
                processes.add(process);
                stages.add(process);
                healthPorts.put(process, port);
            }
            try {
                healthPorts.forEach(this::awaitReady);
                execute(jdbcUrl, "INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                        "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                        "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')",
                        "INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at) "
                                + "VALUES (1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00')");
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    assertStillRunning();
                    assertThat(receiver.keys()).contains(CREATED);
                });

                BookhookProcess deliveries = command(environment, verbose, "deliveries", "--appointment", "1");
                assertThat(deliveries.awaitExit(Duration.ofSeconds(120))).as(deliveries.output()).isZero();
                assertThat(deliveries.output()).contains(CREATED).contains("delivered").endsWith("1 delivery" + NL);

                BookhookProcess resend = command(environment, verbose, "resend", "1", "--event", "created");
                assertThat(resend.awaitExit(Duration.ofSeconds(120))).as(resend.output()).isZero();
                assertThat(resend.output()).startsWith("resend requested for appointment 1 (created,");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertStillRunning();
                    assertThat(receiver.postsFor(CREATED)).as("the resend, carried out by the sink").isEqualTo(2);
                });

                int adminPort = freePort();
                BookhookProcess admin = BookhookProcess.start(environment, dir, verbose, "admin", "--port", Integer.toString(adminPort),
                        "--bind", "127.0.0.1");
                processes.add(admin);
                healthPorts.put(admin, adminPort);
                awaitReady(admin, adminPort);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonNode page = deliveriesPage(adminPort);
                    assertThat(page.get("total").asInt()).as(page.toString()).isEqualTo(2);
                    assertThat(page.get("deliveries")).allSatisfy(delivery -> {
                        assertThat(delivery.get("idempotency_key").asText()).isEqualTo(CREATED);
                        assertThat(delivery.get("status").asText()).isEqualTo("delivered");
                    });
                });

                for (BookhookProcess process : healthPorts.keySet()) {
                    assertThat(process.stop()).as("%s stopped on SIGTERM; its output:%n%s", process, process.output()).isEqualTo(143);
                }
            } finally {
                processes.forEach(BookhookProcess::close);
            }
            for (BookhookProcess process : processes) {
                assertThat(process.output()).as("the output of %s", process).doesNotContain(PASSWORD, STORE_PASSWORD);
            }
            for (BookhookProcess stage : stages) {
                // The check above read the clients' configuration dumps, and they were for the secured listener.
                assertThat(stage.output()).as("the output of %s", stage).contains("security.protocol = SASL_SSL", "sasl.jaas.config = [hidden]");
            }
        }
    }

    @Test
    void a_wrong_password_stops_a_stage_with_one_line_that_names_the_jaas_setting_and_not_the_password() throws Exception {
        Map<String, String> environment = stageEnvironment(kafkaVariables(WRONG_PASSWORD, certificates.trustStore()), 0);

        BookhookProcess derive = BookhookProcess.start(environment, dir, productionLogging(), "derive");
        processes.add(derive);

        assertThat(derive.awaitExit(Duration.ofSeconds(120))).as(derive.output()).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(derive.output()).isEqualTo("bookhook derive: Kafka at " + kafka.saslSslBootstrapServers() + " refused bookhook's login:"
                + " Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"
                + " (BOOKHOOK_KAFKA_SASL_JAAS_CONFIG, BOOKHOOK_KAFKA_SASL_MECHANISM)" + NL);
    }

    @Test
    void a_trust_store_without_the_brokers_ca_stops_a_stage_with_one_line_that_names_the_trust_store_setting() throws Exception {
        TestCertificates otherCa = TestCertificates.generate(dir.resolve("other-tls"), "another-ca", STORE_PASSWORD);
        Map<String, String> environment = stageEnvironment(kafkaVariables(PASSWORD, otherCa.trustStore()), 0);

        BookhookProcess derive = BookhookProcess.start(environment, dir, productionLogging(), "derive");
        processes.add(derive);

        assertThat(derive.awaitExit(Duration.ofSeconds(120))).as(derive.output()).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(derive.output()).isEqualTo("bookhook derive: the TLS handshake with Kafka at " + kafka.saslSslBootstrapServers() + " failed:"
                + " unable to find valid certification path to requested target"
                + " (BOOKHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION and the other BOOKHOOK_KAFKA_SSL_* settings)" + NL);
    }

    private static Map<String, String> kafkaVariables(String password, Path trustStore) {
        return KafkaSaslSslVariables.of(kafka.saslSslBootstrapServers(), SaslSslListener.MECHANISM, SaslSslListener.clientJaasConfig(USER, password),
                trustStore, STORE_PASSWORD, TestCertificates.STORE_TYPE);
    }

    private static Map<String, String> stageEnvironment(Map<String, String> environment, int adminPort) {
        Map<String, String> stage = new HashMap<>(environment);
        stage.put("BOOKHOOK_ADMIN_PORT", Integer.toString(adminPort));
        stage.put("BOOKHOOK_ADMIN_BIND", "127.0.0.1");
        return stage;
    }

    private BookhookProcess command(Map<String, String> environment, List<String> jvmOptions, String... args) {
        BookhookProcess command = BookhookProcess.start(environment, dir, jvmOptions, args);
        processes.add(command);
        return command;
    }

    private void assertStillRunning() {
        for (BookhookProcess stage : stages) {
            assertThat(stage.isAlive()).as("%s exited; its output:%n%s", stage, stage.output()).isTrue();
        }
    }

    private void awaitReady(BookhookProcess process, int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("%s exited; its output:%n%s", process, process.output()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static JsonNode deliveriesPage(int adminPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/api/deliveries")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static List<String> productionLogging() throws Exception {
        return List.of("-Dlogback.configurationFile=" + Path.of(Main.class.getResource("/logback.xml").toURI()));
    }

    private static Path infoLogging() throws IOException {
        Path config = dir.resolve("logback-info.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="STDOUT"/></root>
                </configuration>
                """);
        return config;
    }

    private static void execute(String jdbcUrl, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
