package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.appointment;
import static io.bookhook.derive.ChangeEvents.change;
import static io.bookhook.derive.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.RecordLimits;
import io.bookhook.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
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

/**
 * An event over derive's producer limit goes to the dead-letter topic instead of reaching the producer (which, under
 * exactly-once, would fail derive's transaction and stop it on the same change after every restart). A salon with a
 * long address makes an event over the limit from a small appointment change: the event embeds the salon.
 */
class OversizedEventGuardTest {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final int LIMIT = 65_536;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> appointments;
    private TestOutputTopic<String, AppointmentEvent> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        DeriveSettings settings = new DeriveSettings("derive-test", Map.of("bootstrap.servers", "unused:9092",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(LIMIT)), TOPICS, MAPPING, Duration.ofSeconds(10),
                Duration.ofMillis(100), stateDir, Duration.ZERO);
        driver = new TopologyTestDriver(DeriveTopology.build(settings, metrics), DeriveStreams.streamsConfig(settings));
        appointments = input(MAPPING.appointmentTable());
        events = driver.createOutputTopic(TOPICS.appointmentEvents(), new StringDeserializer(),
                JsonSerde.of(AppointmentEvent.class).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void an_event_over_the_limit_is_dead_lettered_by_key_with_its_reason_and_source_and_the_next_appointment_still_derives() {
        // About 31 KB: under the record limit, over the 24,576 bytes derive lets events have under it.
        relatedRows(20, "x".repeat(30_000));
        relatedRows(21, "1 Road");

        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending").put("salon_id", 21)));

        assertThat(events.readRecordsToList()).extracting(TestRecord::key).containsExactly("appointment:2:created");
        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(text(letter.key())).isEqualTo("appointment:1:created");
        assertThat(letter.value()).as("the event Kafka would refuse is not written").isNull();
        assertThat(header(letter, DeadLetterHeaders.REASON))
                .matches("event of 3[0-9],[0-9]{3} bytes is over the 24,576-byte event limit \\(3/4 of BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES 65,536"
                        + " less 32 KiB, so that the sink's records of it fit too\\)");
        assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("derive");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPICS.cdcTopic(MAPPING.appointmentTable()));
        assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(letter.headers().lastHeader(EventHeaders.DERIVED_AT)).as("the event's own headers are kept").isNotNull();
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(metrics.get("bookhook.dead.letters").tags("stage", "derive", "reason", "too_large").counter().count()).isEqualTo(1.0);
    }

    @Test
    void an_event_that_waited_for_its_related_rows_and_is_then_over_the_limit_is_dead_lettered_without_a_source() {
        appointments.pipeInput(key(1), change("c", appointment(1, "pending")));
        relatedRows(20, "x".repeat(30_000));
        driver.advanceWallClockTime(Duration.ofMillis(20));

        assertThat(events.isEmpty()).isTrue();
        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(text(letter.key())).isEqualTo("appointment:1:created");
        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("is over the 24,576-byte event limit");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).as("sent by a punctuation, not by a change").isNull();
    }

    @Test
    void an_appointment_row_too_large_for_derives_stores_is_dead_lettered_by_key_before_anything_is_stored() {
        relatedRows(20, "1 Road");
        appointments.pipeInput(key(1), change("c", appointment(1, "pending").put("notes", "n".repeat(70_000))));
        appointments.pipeInput(key(2), change("c", appointment(2, "pending")));

        assertThat(events.readRecordsToList()).extracting(TestRecord::key).containsExactly("appointment:2:created");
        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(text(letter.key())).isEqualTo("{\"id\":1}");
        assertThat(letter.value()).as("the change is about as large as what could not be stored").isNull();
        assertThat(header(letter, DeadLetterHeaders.REASON))
                .matches("appointment 1's state would be a record of 7[0-9],[0-9]{3} bytes in derive's store, over the 65,536-byte limit"
                        + " \\(BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES\\)");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        KeyValueStore<String, AppointmentState> states = driver.getKeyValueStore(AppointmentDeriver.STATE_STORE);
        assertThat(states.get("1")).as("nothing stored, so a later smaller change derives as the first").isNull();
        assertThat(metrics.get("bookhook.dead.letters").tags("stage", "derive", "reason", "too_large").counter().count()).isEqualTo(1.0);
    }

    @Test
    void the_event_limit_leaves_room_for_the_sinks_base64_body_and_ledger_record_under_the_record_limit() {
        for (int limit : new int[] {65_536, 1_048_576, 4_194_304}) {
            long eventLimit = RecordLimits.eventLimit(limit);
            long indexEntryBody = (eventLimit + 2) / 3 * 4;
            assertThat(indexEntryBody + RecordLimits.SINK_RESERVE).as("limit %d", limit).isLessThanOrEqualTo(limit);
        }
        assertThat(RecordLimits.eventLimit(1_048_576)).isEqualTo(761_856);
    }

    @Test
    void the_size_bound_is_never_below_what_the_kafka_producer_counts_and_close_to_it() {
        Header[] headers = {new RecordHeader(EventHeaders.DERIVED_AT, EventHeaders.millis(1_764_320_400_000L))};
        for (int valueLength : new int[] {0, 100, 4000, 70_000, 1_048_000}) {
            byte[] key = "appointment:123456:confirmed".getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[valueLength];
            // The producer's own check (KafkaProducer.doSend), internal API: fine in a test that fails loudly if it moves.
            int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.LZ4, key, value, headers);
            long bound = OversizedEventGuard.recordSizeUpperBound(key, value, headers);
            assertThat(bound).as("value of %d bytes", valueLength).isGreaterThanOrEqualTo(kafka).isLessThanOrEqualTo(kafka + 32);
        }
    }

    private void relatedRows(long salonId, String salonAddress) {
        input(MAPPING.customerTable()).pipeInput(key(10), change("c", ChangeEvents.customer(10, "0912-345-4567")));
        input(MAPPING.salonTable()).pipeInput(key(salonId), change("c", ChangeEvents.salon(salonId).put("address", salonAddress)));
        input(MAPPING.stylistTable()).pipeInput(key(30), change("c", ChangeEvents.stylist(30)));
        input(MAPPING.serviceTable()).pipeInput(key(40), change("c", ChangeEvents.service(40)));
    }

    private TestInputTopic<byte[], byte[]> input(String table) {
        return driver.createInputTopic(TOPICS.cdcTopic(table), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
