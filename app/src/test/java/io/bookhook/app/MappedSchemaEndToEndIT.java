package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.capture.CaptureEngine;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ISSUE 13 on the real stack: a booking app that shares no name with the reference schema (its own Postgres schema,
 * tables, id, foreign-key and status columns, status values, and a phone column per table). Every webhook body and every
 * record of the events topic conforms to the published JSON Schema, with each table's phone masked.
 */
class MappedSchemaEndToEndIT {

    private static final String SECRET = "mapped-secret";
    private static final String SCHEMA = "salon_app";

    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private EmbeddedStack stack;
    private String database;
    private Map<String, String> environment;

    @BeforeEach
    void startReceiverAndTheAppsOwnSchema() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/hook", exchange -> {
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("mapped");
        stack.postgres().createDatabase(database);
        execute("CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".shop (uid bigserial PRIMARY KEY, title text NOT NULL, tel varchar(32))",
                "CREATE TABLE " + SCHEMA + ".staff (uid bigserial PRIMARY KEY, shop_ref bigint NOT NULL REFERENCES " + SCHEMA + ".shop,"
                        + " nickname text NOT NULL, phone_number varchar(32))",
                "CREATE TABLE " + SCHEMA + ".treatment (uid bigserial PRIMARY KEY, shop_ref bigint NOT NULL REFERENCES " + SCHEMA + ".shop,"
                        + " label text NOT NULL, minutes integer NOT NULL, price numeric(10,2) NOT NULL)",
                "CREATE TABLE " + SCHEMA + ".client (client_no bigserial PRIMARY KEY, full_name text NOT NULL, mobile varchar(32))",
                "CREATE TABLE " + SCHEMA + ".booking (booking_no text PRIMARY KEY,"
                        + " client_ref bigint NOT NULL REFERENCES " + SCHEMA + ".client,"
                        + " shop_ref bigint NOT NULL REFERENCES " + SCHEMA + ".shop,"
                        + " staff_ref bigint NULL REFERENCES " + SCHEMA + ".staff,"
                        + " treatment_ref bigint NOT NULL REFERENCES " + SCHEMA + ".treatment,"
                        + " begins timestamptz NOT NULL, state varchar(8) NOT NULL, remark text NOT NULL DEFAULT '')");

        environment = TestEnvironments.pipeline(stack, database, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET);
        environment.put("BOOKHOOK_POSTGRES_SCHEMA", SCHEMA);
        environment.put("BOOKHOOK_TABLE_APPOINTMENT", "booking");
        environment.put("BOOKHOOK_TABLE_CUSTOMER", "client");
        environment.put("BOOKHOOK_TABLE_SALON", "shop");
        environment.put("BOOKHOOK_TABLE_STYLIST", "staff");
        environment.put("BOOKHOOK_TABLE_SERVICE", "treatment");
        environment.put("BOOKHOOK_COLUMN_ID", "uid");
        environment.put("BOOKHOOK_COLUMN_ID_APPOINTMENT", "booking_no");
        environment.put("BOOKHOOK_COLUMN_ID_CUSTOMER", "client_no");
        environment.put("BOOKHOOK_COLUMN_STATUS", "state");
        environment.put("BOOKHOOK_COLUMN_CUSTOMER_ID", "client_ref");
        environment.put("BOOKHOOK_COLUMN_SALON_ID", "shop_ref");
        environment.put("BOOKHOOK_COLUMN_STYLIST_ID", "staff_ref");
        environment.put("BOOKHOOK_COLUMN_SERVICE_ID", "treatment_ref");
        environment.put("BOOKHOOK_COLUMN_PHONE", "phone_number");
        environment.put("BOOKHOOK_COLUMN_PHONE_CUSTOMER", "mobile");
        environment.put("BOOKHOOK_COLUMN_PHONE_SALON", "tel");
        environment.put("BOOKHOOK_STATUS_PENDING", "NEW");
        environment.put("BOOKHOOK_STATUS_CONFIRMED", "OK");
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void every_webhook_and_every_event_of_a_mapped_app_conforms_to_the_schema_with_each_tables_phone_masked() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        List<String> expected = List.of("appointment:B-1:created", "appointment:B-1:confirmed", "appointment:B-2:created",
                "appointment:B-2:confirmed");
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            execute("INSERT INTO " + SCHEMA + ".shop (title, tel) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO " + SCHEMA + ".staff (shop_ref, nickname, phone_number) VALUES (1, 'Ana', '0955 123 456')",
                    "INSERT INTO " + SCHEMA + ".treatment (shop_ref, label, minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                    "INSERT INTO " + SCHEMA + ".client (full_name, mobile) VALUES ('Mei', '0912-345-4567')",
                    "INSERT INTO " + SCHEMA + ".booking VALUES ('B-1', 1, 1, 1, 1, '2026-12-03 14:00+00', 'NEW', 'window seat')",
                    "INSERT INTO " + SCHEMA + ".booking VALUES ('B-2', 1, 1, NULL, 1, '2026-12-04 10:00+00', 'OK', '')",
                    "INSERT INTO " + SCHEMA + ".booking VALUES ('B-3', 1, 1, NULL, 1, '2026-12-05 10:00+00', 'CXL', '')",
                    "UPDATE " + SCHEMA + ".booking SET state = 'OK' WHERE booking_no = 'B-1'");

            awaitReceived(expected.size(), Duration.ofSeconds(90));
            List<JsonNode> bodies = received.stream().map(MappedSchemaEndToEndIT::tree).toList();
            for (JsonNode body : bodies) {
                assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(body)).as("POST body " + body).isEmpty();
            }
            assertThat(bodies).extracting(body -> body.get("idempotency_key").asText()).containsExactlyInAnyOrderElementsOf(expected);

            JsonNode created = bodies.stream().filter(b -> b.get("idempotency_key").asText().equals("appointment:B-1:created"))
                    .findFirst().orElseThrow();
            assertThat(created.get("appointment_id").asText()).isEqualTo("B-1");
            assertThat(created.get("status").asText()).isEqualTo("pending");
            assertThat(created.at("/appointment/state").asText()).as("the app's own row").isEqualTo("NEW");
            assertThat(created.at("/customer/mobile").asText()).isEqualTo("0912***4567");
            assertThat(created.at("/salon/tel").asText()).isEqualTo("0223***6789");
            assertThat(created.at("/stylist/phone_number").asText()).isEqualTo("0955***3456");
            assertThat(created.at("/service/price").asText()).isEqualTo("42.00");
            assertThat(created.get("missing")).isEmpty();
            assertThat(bodies).filteredOn(b -> b.get("event_type").asText().equals("confirmed"))
                    .allSatisfy(b -> assertThat(b.get("status").asText()).isEqualTo("confirmed"));

            List<ConsumerRecord<String, byte[]>> events = readEvents(settings.topics().appointmentEvents(), expected.size());
            assertThat(events).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(expected);
            for (ConsumerRecord<String, byte[]> event : events) {
                JsonNode json = tree(event.value());
                assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(json)).as("event " + json).isEmpty();
                assertThat(json.has("appointment_id") && json.has("status")).isTrue();
                assertThat(json.toString()).doesNotContain("0912-345-4567", "02-2345-6789", "0955 123 456");
            }
        }
        assertThat(received).as("B-3's status is neither pending nor confirmed: nothing").hasSize(expected.size());
    }

    @Test
    void a_misspelt_per_table_phone_column_stops_capture_at_start_naming_its_setting() {
        environment.put("BOOKHOOK_COLUMN_PHONE_SALON", "telephone");
        BookhookSettings settings = new BookhookSettings(environment);

        assertThatThrownBy(() -> CaptureEngine.start(settings.capture()).close())
                .hasStackTraceContaining("column " + SCHEMA + ".shop.telephone does not exist in Postgres (named by BOOKHOOK_COLUMN_PHONE_SALON)");
    }

    private List<ConsumerRecord<String, byte[]>> readEvents(String topic, int count) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "isolation.level", "read_committed", "enable.auto.commit", "false"));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static JsonNode tree(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void execute(String... statements) {
        stack.postgres().execute(database, statements);
    }

    private void awaitReceived(int count, Duration timeout) {
        await("webhooks received").atMost(timeout).until(() -> received.size() >= count);
    }
}
