package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.appointment;
import static io.bookhook.derive.ChangeEvents.change;
import static io.bookhook.derive.ChangeEvents.customer;
import static io.bookhook.derive.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeriveTopologyTest {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
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
                Duration.ofMillis(100), stateDir, RETENTION);
        driver = new TopologyTestDriver(DeriveTopology.build(settings, metrics), DeriveStreams.streamsConfig(settings));
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
    void everyEventConformsToTheSchemaAndTheDriverCloses() {
        try {
            assertConformsToSchema(emitted);
        } finally {
            driver.close();
        }
    }

    private final List<TestRecord<String, AppointmentEvent>> emitted = new ArrayList<>();

    /** Every record the topology wrote so far; each is also checked against the JSON Schema after the test. */
    private List<TestRecord<String, AppointmentEvent>> output() {
        List<TestRecord<String, AppointmentEvent>> records = events.readRecordsToList();
        emitted.addAll(records);
        return records;
    }

    private List<String> outputKeys() {
        return output().stream().map(TestRecord::key).toList();
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

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:1:created");
        AppointmentEvent created = out.get(0).value();
        assertThat(created.occurredAt()).isEqualTo(ChangeEvents.COMMIT);
        assertThat(created.appointment().get("status").asText()).isEqualTo("pending");
        assertThat(created.customer().get("phone").asText()).isEqualTo("0912***4567");
        assertThat(created.salon().get("phone").asText()).isEqualTo("0223***6789");
        assertThat(created.stylist().get("phone").asText()).isEqualTo("0955***3456");
        assertThat(created.service().get("price").asText()).isEqualTo("42.00");
        assertThat(created.missing()).isEmpty();
    }

    @Test
    void a_confirmed_update_derives_confirmed_once_even_after_going_back_to_pending() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        appointments.pipeInput(key(1), change("u", appointment(1, "pending")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));

        assertThat(outputKeys()).containsExactly("appointment:1:created", "appointment:1:confirmed");
    }

    @Test
    void snapshot_reads_derive_nothing_and_a_later_confirm_of_a_snapshot_row_still_derives_confirmed() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("r", appointment(1, "pending")));
        appointments.pipeInput(key(2), change("r", appointment(2, "confirmed")));
        appointments.pipeInput(key(2), change("u", appointment(2, "confirmed")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));

        assertThat(outputKeys()).containsExactly("appointment:1:confirmed");
    }

    @Test
    void an_event_waits_for_a_late_customer_and_goes_out_with_it() {
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        assertThat(events.isEmpty()).isTrue();
        assertThat(metrics.get("bookhook.derive.waiting.events").gauge().value()).isEqualTo(1.0);

        relatedRowsArrive();
        driver.advanceWallClockTime(Duration.ofMillis(20));

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).as("looked at again 20 ms later, not at a slow scan").hasSize(1);
        assertThat(out.get(0).value().customer().get("name").asText()).isEqualTo("Mei");
        assertThat(out.get(0).value().missing()).isEmpty();
        assertThat(metrics.get("bookhook.derive.waiting.events").gauge().value()).isZero();
    }

    @Test
    void after_the_grace_time_an_event_goes_out_with_the_absent_parts_named() {
        salons.pipeInput(key(20), change("c", ChangeEvents.salon(20)));
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        driver.advanceWallClockTime(GRACE.plusMillis(250));

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).hasSize(1);
        AppointmentEvent created = out.get(0).value();
        assertThat(created.salon()).isNotNull();
        assertThat(created.customer()).isNull();
        assertThat(created.missing()).containsExactly("customer", "stylist", "service");
        assertThat(metrics.counter("bookhook.derive.events.incomplete").count()).isEqualTo(1.0);
    }

    @Test
    void a_change_that_is_not_json_is_dead_lettered_with_its_reason_and_the_next_one_still_derives() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), "{not json".getBytes(StandardCharsets.UTF_8));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .startsWith("change event is not JSON");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(TOPICS.cdcTopic(MAPPING.appointmentTable()));
        assertThat(outputKeys()).containsExactly("appointment:2:created");
        assertThat(metrics.counter("bookhook.dead.letters", "stage", "derive", "reason", "bad_change").count()).isEqualTo(1.0);
    }

    @Test
    void an_appointment_inserted_already_confirmed_derives_created_then_confirmed_on_one_partition_order() {
        relatedRowsArrive();
        appointments.pipeInput(key(7), change("c", appointment(7, "confirmed")));

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:7:created", "appointment:7:confirmed");
        assertThat(out).extracting(r -> r.value().appointment().get("status").asText()).containsExactly("confirmed", "confirmed");
    }

    @Test
    void the_same_change_delivered_twice_derives_once() {
        relatedRowsArrive();
        byte[] insert = change("c", appointment(1, "pending"));
        appointments.pipeInput(key(1), insert);
        appointments.pipeInput(key(1), insert);
        byte[] confirm = change("u", appointment(1, "confirmed"));
        appointments.pipeInput(key(1), confirm);
        appointments.pipeInput(key(1), confirm);

        assertThat(outputKeys()).containsExactly("appointment:1:created", "appointment:1:confirmed");
    }

    @Test
    void a_delete_and_its_tombstone_derive_nothing_and_are_not_errors() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        byte[] delete = change("d", null);
        appointments.pipeInput(key(1), delete);
        appointments.pipeInput(key(1), (byte[]) null);

        assertThat(outputKeys()).containsExactly("appointment:1:created");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void a_delete_drops_the_appointments_state() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));
        appointments.pipeInput(key(1), ChangeEvents.delete(1));
        appointments.pipeInput(key(1), (byte[]) null);

        KeyValueStore<String, AppointmentState> states = driver.getKeyValueStore(AppointmentDeriver.STATE_STORE);
        assertThat(states.get("1")).isNull();
        assertThat(states.get("2")).isNotNull();
        assertThat(metrics.get("bookhook.derive.state.dropped").tag("reason", "deleted").counter().count()).isOne();
    }

    @Test
    void the_state_of_an_appointment_unchanged_for_the_retention_is_dropped_and_a_later_change_derives_as_if_first_seen() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        driver.advanceWallClockTime(RETENTION.minusMinutes(30));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));
        driver.advanceWallClockTime(Duration.ofMinutes(31));

        KeyValueStore<String, AppointmentState> states = driver.getKeyValueStore(AppointmentDeriver.STATE_STORE);
        assertThat(states.get("1")).as("unchanged for an hour and a minute").isNull();
        assertThat(states.get("2")).as("changed 31 minutes ago").isNotNull();
        assertThat(metrics.get("bookhook.derive.state.dropped").tag("reason", "retention").counter().count()).isOne();

        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        assertThat(outputKeys()).containsExactly("appointment:1:created", "appointment:2:created", "appointment:1:confirmed");
    }

    @Test
    void an_id_that_cannot_form_an_idempotency_key_is_dead_lettered_and_the_next_appointment_still_derives() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending").put("id", "7:created")));
        appointments.pipeInput(key(1), change("c", appointment(1, "pending").put("id", " ")));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));

        assertThat(outputKeys()).containsExactly("appointment:2:created");
        assertThat(deadLetters.readRecordsToList()).extracting(DeriveTopologyTest::reason).containsExactly(
                "appointment id '7:created' cannot be part of an idempotency key (appointment:{id}:{event_type}): it must be"
                        + " non-blank and free of ':'",
                "appointment id ' ' cannot be part of an idempotency key (appointment:{id}:{event_type}): it must be"
                        + " non-blank and free of ':'");
    }

    @Test
    void a_row_that_lost_a_column_the_mapping_names_is_dead_lettered_while_a_null_in_it_still_derives() {
        relatedRowsArrive();
        ObjectNode noCustomer = appointment(1, "pending");
        noCustomer.remove("customer_id"); // ALTER TABLE ... DROP COLUMN customer_id while streaming
        ObjectNode noStatusNoService = appointment(2, "pending");
        noStatusNoService.remove("status");
        noStatusNoService.remove("service_id");
        ObjectNode noStylist = appointment(3, "pending");
        noStylist.putNull("stylist_id"); // a value: booked without a stylist
        noStylist.remove("notes"); // a column the mapping does not name
        appointments.pipeInput(key(1), change("c", noCustomer));
        appointments.pipeInput(key(2), change("c", noStatusNoService));
        appointments.pipeInput(key(3), change("c", noStylist));

        assertThat(deadLetters.readRecordsToList()).extracting(DeriveTopologyTest::reason).containsExactly(
                "appointment 1's row has no column customer_id (dropped or renamed in appointments_appointment?): the table mapping needs it",
                "appointment 2's row has no column status, service_id (dropped or renamed in appointments_appointment?): the table mapping"
                        + " needs it");
        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:3:created");
        assertThat(out.get(0).value().stylist()).isNull();
        assertThat(out.get(0).value().missing()).isEmpty();
        assertThat(metrics.get("bookhook.dead.letters").tags("stage", "derive", "reason", "missing_column").counter().count()).isEqualTo(2.0);
    }

    @Test
    void an_unknown_status_derives_nothing_and_is_not_an_error() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "waitlisted")));
        appointments.pipeInput(key(1), change("u", appointment(1, "cancelled")));

        assertThat(output()).isEmpty();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void bad_changes_are_dead_lettered_each_with_its_reason_and_the_topology_goes_on() {
        relatedRowsArrive();
        ObjectNode noId = appointment(1, "pending");
        noId.remove("id");
        ObjectNode nullStatus = appointment(2, "pending");
        nullStatus.putNull("status");
        appointments.pipeInput(key(1), change("c", noId));
        appointments.pipeInput(key(2), change("c", nullStatus));
        appointments.pipeInput(key(3), "{\"after\":{\"id\":3}}".getBytes(StandardCharsets.UTF_8));
        appointments.pipeInput(key(4), change("x", appointment(4, "pending")));
        appointments.pipeInput(key(5), change("c", null));
        appointments.pipeInput(key(6), "[1,2]".getBytes(StandardCharsets.UTF_8));
        appointments.pipeInput(key(9), change("c", appointment(9, "pending")));

        assertThat(deadLetters.readRecordsToList()).extracting(r -> reason(r)).containsExactly(
                "appointment row has no id",
                "appointment 2 has a null status",
                "change event has no 'op'",
                "unknown change operation 'x'",
                "change of appointments_appointment has no row after it",
                "change event is not a JSON object");
        assertThat(outputKeys()).containsExactly("appointment:9:created");
    }

    @Test
    void odd_values_never_stop_derive_a_fractional_id_is_dead_lettered_and_any_text_goes_through_unchanged() {
        relatedRowsArrive();
        String text = "emoji \uD83D\uDE00, RTL \u05E9\u05DC\u05D5\u05DD, NUL \u0000, end";
        appointments.pipeInput(key(1), change("c", appointment(1, "pending").put("salon_id", "abc")));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending").put("id", 2.5)));
        appointments.pipeInput(key(3), change("c", appointment(3, "pending").put("status", 5)));
        ObjectNode arrayCustomer = appointment(4, "pending");
        arrayCustomer.putArray("customer_id").add(10);
        appointments.pipeInput(key(4), change("c", arrayCustomer));
        appointments.pipeInput(key(5), change("c", appointment(5, "pending").put("notes", text)));
        driver.advanceWallClockTime(Duration.ofSeconds(30));

        assertThat(deadLetters.readRecordsToList()).extracting(r -> reason(r))
                .containsExactly("appointment id 2.5 is a number with a fraction: an appointment id must be an integer or a string");
        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(TestRecord::key).as("a numeric status is an unknown one: nothing derived")
                .containsExactlyInAnyOrder("appointment:1:created", "appointment:4:created", "appointment:5:created");
        Map<String, AppointmentEvent> byKey = out.stream().collect(Collectors.toMap(TestRecord::key, TestRecord::value));
        assertThat(byKey.get("appointment:5:created").appointment().get("notes").asText()).isEqualTo(text);
        assertThat(byKey.get("appointment:1:created").missing()).as("a salon key no salon has").containsExactly("salon");
        assertThat(byKey.get("appointment:4:created").missing()).containsExactly("customer");
    }

    @Test
    void a_column_postgres_did_not_send_with_an_update_is_filled_from_the_last_row_never_the_placeholder() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending").put("notes", "a very long note")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed").put("notes", AppointmentState.UNAVAILABLE_VALUE)));

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(TestRecord::key).containsExactly("appointment:1:created", "appointment:1:confirmed");
        assertThat(out.get(1).value().appointment().get("notes").asText()).isEqualTo("a very long note");
    }

    @Test
    void a_placeholder_with_no_earlier_row_becomes_null_not_the_placeholder() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("r", appointment(1, "pending").put("notes", AppointmentState.UNAVAILABLE_VALUE)));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed").put("notes", AppointmentState.UNAVAILABLE_VALUE)));

        AppointmentEvent confirmed = output().get(0).value();
        assertThat(confirmed.appointment().get("notes").isNull()).isTrue();
    }

    @Test
    void events_of_one_appointment_keep_their_order_while_waiting_for_a_related_row() {
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        assertThat(output()).isEmpty();

        relatedRowsArrive();
        driver.advanceWallClockTime(Duration.ofMillis(250));

        assertThat(outputKeys()).containsExactly("appointment:1:created", "appointment:1:confirmed");
    }

    @Test
    void a_related_row_changed_after_an_event_appears_as_changed_in_the_next_event() {
        relatedRowsArrive();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        customers.pipeInput(key(10), change("u", customer(10, "0912-345-4567").put("name", "Mei Lin")));
        appointments.pipeInput(key(1), change("u", appointment(1, "confirmed")));
        customers.pipeInput(key(10), change("d", null));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));

        List<TestRecord<String, AppointmentEvent>> out = output();
        assertThat(out).extracting(event -> event.value().customer().get("name").asText())
                .as("the rows parsed before are reused only while their change is the same").containsExactly("Mei", "Mei Lin");
        assertThat(metrics.get("bookhook.derive.waiting.events").gauge().value()).as("the deleted customer is not found").isEqualTo(1.0);
    }

    @Test
    void each_event_carries_when_it_was_derived_and_records_its_commit_to_captured_and_captured_to_derived_spans() {
        relatedRowsArrive();
        Instant captured = ChangeEvents.COMMIT.plusMillis(40);
        long before = System.currentTimeMillis();
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")), captured);

        TestRecord<String, AppointmentEvent> event = output().get(0);
        assertThat(event.timestamp()).as("the record time stays the commit time, which replay seeks by")
                .isEqualTo(ChangeEvents.COMMIT.toEpochMilli());
        long derivedAt = EventHeaders.millis(event.headers().lastHeader(EventHeaders.DERIVED_AT).value()).orElseThrow();
        assertThat(derivedAt).isBetween(before, System.currentTimeMillis());
        Timer commitToCaptured = metrics.get("bookhook.pipeline.latency").tag("span", "commit_to_captured").timer();
        assertThat(commitToCaptured.count()).isOne();
        assertThat(commitToCaptured.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
        Timer capturedToDerived = metrics.get("bookhook.pipeline.latency").tag("span", "captured_to_derived").timer();
        assertThat(capturedToDerived.count()).isOne();
        assertThat(capturedToDerived.totalTime(TimeUnit.MILLISECONDS)).isEqualTo((double) (derivedAt - captured.toEpochMilli()));
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
    }

    private static void assertConformsToSchema(List<TestRecord<String, AppointmentEvent>> out) {
        for (TestRecord<String, AppointmentEvent> record : out) {
            JsonNode json = Json.mapper().valueToTree(record.value());
            assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(json)).as(record.key()).isEmpty();
        }
    }
}
