package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import io.bookhook.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derive under a mapping that shares no name with the reference schema: other tables, an id column per table (string
 * booking numbers), other foreign keys, another status column and values, and a phone column per table. Every event
 * written, byte for byte as the sink reads it, must conform to the published JSON Schema.
 */
class MappedSchemaDeriveTest {

    /** Tables booking/client/shop/staff/treatment; ids uid by default, booking_no and client_no per table; phones per table. */
    static final TableMapping MAPPING = new TableMapping("booking", "client", "shop", "staff", "treatment", "uid", "state",
            "client_ref", "shop_ref", "staff_ref", "treatment_ref", "phone_number", "NEW", "OK",
            Map.of("booking", "booking_no", "client", "client_no"), Map.of("client", "mobile", "shop", "tel"));
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> bookings;
    private TestInputTopic<byte[], byte[]> clients;
    private TestInputTopic<byte[], byte[]> shops;
    private TestInputTopic<byte[], byte[]> staff;
    private TestInputTopic<byte[], byte[]> treatments;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final List<TestRecord<String, byte[]>> emitted = new ArrayList<>();

    @BeforeEach
    void startDriver() {
        DeriveSettings settings = new DeriveSettings("derive-mapped-test", Map.of("bootstrap.servers", "unused:9092"), TOPICS, MAPPING,
                GRACE, Duration.ofMillis(100), stateDir, Duration.ofHours(1));
        driver = new TopologyTestDriver(DeriveTopology.build(settings, new SimpleMeterRegistry()),
                DeriveStreams.streamsConfig(settings));
        bookings = input("booking");
        clients = input("client");
        shops = input("shop");
        staff = input("staff");
        treatments = input("treatment");
        events = driver.createOutputTopic(TOPICS.appointmentEvents(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void everyEventConformsToTheSchemaAndTheDriverCloses() {
        try {
            output();
            assertThat(emitted).as("the test derived something").isNotEmpty();
            for (TestRecord<String, byte[]> record : emitted) {
                JsonNode json = tree(record.value());
                assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(json)).as(record.key() + ": " + json).isEmpty();
                assertThat(json.has("appointment_id") && json.has("status")).as("bookhook's own fields, not the legacy branch").isTrue();
            }
            assertThat(deadLetters.readRecordsToList()).isEmpty();
        } finally {
            driver.close();
        }
    }

    private List<TestRecord<String, byte[]>> output() {
        List<TestRecord<String, byte[]>> records = events.readRecordsToList();
        emitted.addAll(records);
        return records;
    }

    private TestInputTopic<byte[], byte[]> input(String table) {
        return driver.createInputTopic(TOPICS.cdcTopic(table), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] key(String column, Object id) {
        ObjectNode key = Json.mapper().createObjectNode();
        key.set(column, Json.mapper().valueToTree(id));
        return key.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode tree(byte[] value) {
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode booking(String bookingNo, String state) {
        return Json.mapper().createObjectNode().put("booking_no", bookingNo).put("client_ref", 10).put("shop_ref", 20)
                .put("staff_ref", 30).put("treatment_ref", 40).put("begins", "2026-12-01T10:00:00Z").put("state", state)
                .put("remark", "window seat");
    }

    private void relatedRowsArrive() {
        clients.pipeInput(key("client_no", 10), change("c", Json.mapper().createObjectNode().put("client_no", 10).put("full_name", "Mei")
                .put("mobile", "0912-345-4567").put("phone", (String) null)));
        shops.pipeInput(key("uid", 20), change("c", Json.mapper().createObjectNode().put("uid", 20).put("title", "Studio")
                .put("tel", "02-2345-6789")));
        staff.pipeInput(key("uid", 30), change("c", Json.mapper().createObjectNode().put("uid", 30).put("shop_ref", 20)
                .put("nickname", "Ana").put("phone_number", "0955 123 456")));
        treatments.pipeInput(key("uid", 40), change("c", Json.mapper().createObjectNode().put("uid", 40).put("label", "Cut")
                .put("minutes", 45)));
    }

    @Test
    void mapped_rows_derive_events_with_normalised_id_and_status_and_each_tables_phone_masked() {
        relatedRowsArrive();
        bookings.pipeInput(key("booking_no", "B-1"), change("c", booking("B-1", "NEW")));
        bookings.pipeInput(key("booking_no", "B-1"), change("u", booking("B-1", "OK")));
        bookings.pipeInput(key("booking_no", "B-2"), change("c", booking("B-2", "OK")));

        List<TestRecord<String, byte[]>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:B-1:created", "appointment:B-1:confirmed",
                "appointment:B-2:created", "appointment:B-2:confirmed");
        JsonNode created = tree(out.get(0).value());
        assertThat(created.get("appointment_id").asText()).isEqualTo("B-1");
        assertThat(created.get("status").asText()).isEqualTo("pending");
        assertThat(created.get("appointment").get("state").asText()).as("the app's row as it is").isEqualTo("NEW");
        assertThat(created.get("customer").get("mobile").asText()).isEqualTo("0912***4567");
        assertThat(created.get("salon").get("tel").asText()).isEqualTo("0223***6789");
        assertThat(created.get("stylist").get("phone_number").asText()).isEqualTo("0955***3456");
        assertThat(created.get("service").get("label").asText()).isEqualTo("Cut");
        assertThat(created.get("missing")).isEmpty();
        assertThat(tree(out.get(1).value()).get("status").asText()).isEqualTo("confirmed");
        assertThat(tree(out.get(2).value()).get("status").asText()).as("inserted already confirmed").isEqualTo("confirmed");
    }

    @Test
    void an_integer_id_stays_an_integer_and_a_mapped_event_with_holes_still_conforms() {
        bookings.pipeInput(key("booking_no", 7), change("c", booking("x", "NEW").put("booking_no", 7)));
        assertThat(output()).as("waits for its related rows").isEmpty();

        driver.advanceWallClockTime(GRACE.plusMillis(250));

        List<TestRecord<String, byte[]>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:7:created");
        JsonNode created = tree(out.get(0).value());
        assertThat(created.get("appointment_id").isIntegralNumber()).isTrue();
        assertThat(created.get("appointment_id").asLong()).isEqualTo(7);
        assertThat(created.get("missing")).extracting(JsonNode::asText).containsExactly("customer", "salon", "stylist", "service");
        assertThat(MAPPING.idColumnOf("treatment")).as("no column of its own: the default").isEqualTo("uid");
    }
}
