package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.ledger.LedgerReader;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The walking skeleton on the real stack: a row inserted over JDBC reaches an HTTP receiver as a signed POST. */
class EndToEndIT {

    private static final String SECRET = "end-to-end-secret";

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private EmbeddedStack stack;
    private String jdbcUrl;
    private Map<String, String> environment;

    record Received(Map<String, String> headers, byte[] body) {
    }

    @BeforeEach
    void startReceiverAndDatabase() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("e2e");
        jdbcUrl = stack.postgres().createReferenceDatabase(name);
        environment = TestEnvironments.pipeline(stack, name, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET);
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void an_appointment_inserted_over_jdbc_arrives_as_a_correctly_signed_post_and_is_recorded_delivered() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                    "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')",
                    "INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at) "
                            + "VALUES (1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00')");

            awaitReceived(1, Duration.ofSeconds(60));
            Received post = received.get(0);
            assertThat(post.headers().get("x-make-signature")).isEqualTo("sha256=" + hmacSha256Hex(SECRET, post.body()));
            assertThat(post.headers()).containsEntry("content-type", "application/json")
                    .containsEntry("x-idempotency-key", "appointment:1:created")
                    .containsEntry("x-event-type", "created")
                    .containsEntry("x-delivery-attempt", "1")
                    .containsKey("x-delivery-id");

            JsonNode event = Json.mapper().readTree(post.body());
            assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(event)).isEmpty();
            assertThat(event.get("idempotency_key").asText()).isEqualTo("appointment:1:created");
            assertThat(event.at("/appointment/status").asText()).isEqualTo("pending");
            assertThat(event.at("/customer/phone").asText()).isEqualTo("0912***4567");
            assertThat(event.get("stylist").isNull()).isTrue();
            assertThat(event.get("missing")).isEmpty();

            DeliveryRecord recorded = awaitLedger(settings, post.headers().get("x-delivery-id"));
            assertThat(recorded.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(recorded.idempotencyKey()).isEqualTo("appointment:1:created");
            assertThat(recorded.lastResponseCode()).isEqualTo(204);
            assertThat(recorded.attempts()).isEqualTo(1);
        }
        assertThat(received).hasSize(1);
    }

    /** Computed here with javax.crypto, independently of the sink's signer. */
    private static String hmacSha256Hex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private void execute(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private void awaitReceived(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(received).as("webhooks received").hasSizeGreaterThanOrEqualTo(count);
    }

    private static DeliveryRecord awaitLedger(BookhookSettings settings, String deliveryId) throws InterruptedException {
        LedgerReader ledger = new LedgerReader(settings.env().kafkaClient(), settings.topics().deliveryLedger());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            DeliveryRecord record = ledger.snapshot(Duration.ofSeconds(5)).get(deliveryId);
            if (record != null && record.status() != DeliveryStatus.PENDING) {
                return record;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no settled ledger record for delivery " + deliveryId);
    }
}
