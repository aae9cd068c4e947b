package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.appointment;
import static io.bookhook.derive.ChangeEvents.change;
import static io.bookhook.derive.ChangeEvents.customer;
import static io.bookhook.derive.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

class DeriveTopologyTest {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> appointments;
    private TestInputTopic<byte[], byte[]> customers;
    private TestInputTopic<byte[], byte[]> salons;
    private TestInputTopic<byte[], byte[]> stylists;
    private TestInputTopic<byte[], byte[]> services;
    private TestOutputTopic<String, AppointmentEvent> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        DeriveSettings settings = new DeriveSettings("derive-test", Map.of("bootstrap.servers", "unused:9092"), TOPICS, MAPPING, GRACE,
                Duration.ofMillis(100), stateDir);
        driver = new TopologyTestDriver(DeriveTopology.build(settings), DeriveStreams.streamsConfig(settings));
        appointments = input(MAPPING.appointmentTable());
        customers = input(MAPPING.customerTable());
        salons = input(MAPPING.salonTable());
        stylists = input(MAPPING.stylistTable());
        services = input(MAPPING.serviceTable());
        events = driver.createOutputTopic(TOPICS.appointmentEvents(), new StringDeserializer(),
                JsonSerde.of(AppointmentEvent.class).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private TestInputTopic<byte[], byte[]> input(String table) {
        return driver.createInputTopic(TOPICS.cdcTopic(table), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void relatedRowsArrive() {
        customers.pipeInput(key(10), change("c", customer(10, "0912-345-4567")));
        salons.pipeInput(key(20), change("c", ChangeEvents.salon(20)));
        stylists.pipeInput(key(30), change("c", ChangeEvents.stylist(30)));
        services.pipeInput(key(40), change("c", ChangeEvents.service(40)));
    }

    @Test
    void an_inserted_pending_appointment_derives_one_created_event_with_its_related_rows_masked() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));

        List<TestRecord<String, AppointmentEvent>> out = events.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:1:created");
        AppointmentEvent created = out.get(0).value();
        assertThat(created.occurredAt()).isEqualTo(ChangeEvents.COMMIT);
        assertThat(created.appointment().get("status").asText()).isEqualTo("pending");
        assertThat(created.customer().get("phone").asText()).isEqualTo("0912***4567");
        assertThat(created.salon().get("phone").asText()).isEqualTo("0223***6789");
        assertThat(created.stylist().get("phone").asText()).isEqualTo("0955***3456");
        assertThat(created.service().get("price").asText()).isEqualTo("42.00");
        assertThat(created.missing()).isEmpty();
        assertConformsToSchema(out);
    }

    @Test
    void a_confirmed_update_derives_confirmed_once_even_after_going_back_to_pending() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        appointments.pipeInput(key(1), change("u", appointment(1, "pending")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));

        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("appointment:1:created", "appointment:1:confirmed");
    }

    @Test
    void snapshot_reads_derive_nothing_and_a_later_confirm_of_a_snapshot_row_still_derives_confirmed() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("r", appointment(1, "pending")));
        appointments.pipeInput(key(2), change("r", appointment(2, "confirmed")));
        appointments.pipeInput(key(2), change("u", appointment(2, "confirmed")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));

        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("appointment:1:confirmed");
    }

    @Test
    void an_event_waits_for_a_late_customer_and_goes_out_with_it() {
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        assertThat(events.isEmpty()).isTrue();

        relatedRowsArrive();
        driver.advanceWallClockTime(Duration.ofMillis(250));

        AppointmentEvent created = events.readValue();
        assertThat(created.customer().get("name").asText()).isEqualTo("Mei");
        assertThat(created.missing()).isEmpty();
    }

    @Test
    void after_the_grace_time_an_event_goes_out_with_the_absent_parts_named() {
        salons.pipeInput(key(20), change("c", ChangeEvents.salon(20)));
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        driver.advanceWallClockTime(GRACE.plusMillis(250));

        AppointmentEvent created = events.readValue();
        assertThat(created.salon()).isNotNull();
        assertThat(created.customer()).isNull();
        assertThat(created.missing()).containsExactly("customer", "stylist", "service");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void a_change_that_is_not_json_is_dead_lettered_with_its_reason_and_the_next_one_still_derives() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), "{not json".getBytes(StandardCharsets.UTF_8));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .startsWith("change event is not JSON");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(TOPICS.cdcTopic(MAPPING.appointmentTable()));
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("appointment:2:created");
    }

    private static void assertConformsToSchema(List<TestRecord<String, AppointmentEvent>> out) {
        for (TestRecord<String, AppointmentEvent> record : out) {
            JsonNode json = Json.mapper().valueToTree(record.value());
            assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(json)).as(record.key()).isEmpty();
        }
    }
}
