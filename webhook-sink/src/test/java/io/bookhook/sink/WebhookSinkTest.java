package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import io.bookhook.sink.mockreceiver.MockReceiver;
import io.bookhook.sink.mockreceiver.MockReceiverConfig;
import io.bookhook.sink.mockreceiver.ReceivedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink against the real in-JVM broker and the real mock receiver; each test has its own topics and group. */
class WebhookSinkTest {

    private static final String SECRET = "whsec-sink-test";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final EmbeddedKafka kafka = SharedEmbeddedStack.get().kafka();
    private final TopicNames topics = TopicNames.prefixed(SharedEmbeddedStack.uniqueName("sink"));
    private final String group = SharedEmbeddedStack.uniqueName("sink");
    private MockReceiver receiver;
    private WebhookSink sink;

    @BeforeEach
    void setUp() {
        kafka.createTopic(topics.appointmentEvents(), 1, Map.of());
        kafka.createTopic(topics.deliveryLedger(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deadLetter(), 1, Map.of());
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
        sink = startSink(settings -> settings);
    }

    @AfterEach
    void tearDown() throws Exception {
        sink.close();
        receiver.close();
        assertThat(sink.stopped()).succeedsWithin(Duration.ofSeconds(5));
    }

    private WebhookSink startSink(UnaryOperator<SinkSettingsBuilder> adjust) {
        WebhookSink started = new WebhookSink(adjust.apply(
                SinkSettings.builder(receiver.url(), SECRET, Map.of("bootstrap.servers", kafka.bootstrapServers()))
                        .allowPrivateTargets(true)
                        .topics(topics)
                        .groupId(group)
                        .transactionalId(group + "-tx")
                        .maxAttempts(3)
                        .firstBackoff(Duration.ofMillis(50))
                        .requestTimeout(Duration.ofSeconds(5))).build());
        Thread loop = new Thread(started, "webhook-sink-" + group);
        loop.setDaemon(true);
        loop.start();
        return started;
    }

    @Test
    void posts_a_signed_event_and_records_it_delivered() throws Exception {
        byte[] event = event(42, EventType.CREATED);
        produce("appointment:42:created", event);

        DeliveryRecord record = awaitLedger(1).get(0);
        String deliveryId = DeliveryIds.forEvent(IdempotencyKey.of(42, EventType.CREATED));
        ReceivedRequest got = receiver.received().get(0);
        assertThat(got.signatureValid()).isTrue();
        assertThat(got.body()).isEqualTo(event);
        assertThat(got.header("X-Delivery-Id")).isEqualTo(deliveryId);
        assertThat(got.header("X-Delivery-Attempt")).isEqualTo("1");
        assertThat(got.header("X-Idempotency-Key")).isEqualTo("appointment:42:created");
        assertThat(got.header("X-Event-Type")).isEqualTo("created");

        assertThat(record.deliveryId()).isEqualTo(deliveryId);
        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record.attempts()).isEqualTo(1);
        assertThat(record.lastResponseCode()).isEqualTo(200);
        assertThat(record.reason()).isEqualTo(DeliveryReason.EVENT);
        assertThat(record.idempotencyKey()).isEqualTo("appointment:42:created");
        assertThat(record.appointmentId()).isEqualTo("42");
        assertThat(record.payload()).isEqualTo(Json.mapper().readTree(event));
        awaitCommittedOffset(1);
        assertThat(sink.counts().delivered()).isEqualTo(1);
    }

    @Test
    void a_rejected_event_is_recorded_failed_after_one_attempt() throws Exception {
        receiver.failNext(1, 400);
        produce("appointment:7:confirmed", event(7, EventType.CONFIRMED));

        DeliveryRecord record = awaitLedger(1).get(0);

        assertThat(record.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(record.attempts()).isEqualTo(1);
        assertThat(record.lastResponseCode()).isEqualTo(400);
        assertThat(record.responseExcerpt()).contains("400");
        assertThat(receiver.received()).hasSize(1);
        awaitCommittedOffset(1);
    }

    @Test
    void a_server_error_is_retried_under_the_same_delivery_id() throws Exception {
        receiver.failNext(2, 503);
        produce("appointment:9:created", event(9, EventType.CREATED));

        DeliveryRecord record = awaitLedger(1).get(0);

        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record.attempts()).isEqualTo(3);
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Attempt")).containsExactly("1", "2", "3");
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Id")).containsOnly(record.deliveryId());
    }

    @Test
    void a_record_that_is_not_an_event_is_dead_lettered_and_the_next_one_still_delivered() throws Exception {
        produce("garbage", "{not json".getBytes(UTF_8));
        produce("appointment:5:created", event(5, EventType.CREATED));

        assertThat(awaitLedger(1)).extracting(DeliveryRecord::status).containsExactly(DeliveryStatus.DELIVERED);
        ConsumerRecord<String, byte[]> letter = awaitRecords(topics.deadLetter(), 1).get(0);
        assertThat(letter.key()).isEqualTo("garbage");
        assertThat(letter.value()).isEqualTo("{not json".getBytes(UTF_8));
        assertThat(new String(letter.headers().lastHeader(DeadLetters.REASON_HEADER).value(), UTF_8)).startsWith("not JSON");
        awaitCommittedOffset(2);
        assertThat(sink.counts().deadLettered()).isEqualTo(1);
    }

    @Test
    void closing_during_a_backoff_leaves_the_event_for_the_next_run_under_the_same_delivery_id() throws Exception {
        sink.close();
        receiver.failNext(1, 503);
        WebhookSink patient = startSink(settings -> settings.firstBackoff(Duration.ofSeconds(30)));
        produce("appointment:11:created", event(11, EventType.CREATED));
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);

        long closing = System.nanoTime();
        patient.close();

        assertThat(patient.stopped()).succeedsWithin(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
        assertThat(readAll(topics.deliveryLedger())).as("ledger after an abandoned delivery").isEmpty();
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()).isEmpty();
        }

        sink = startSink(settings -> settings);
        DeliveryRecord record = awaitLedger(1).get(0);

        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Id"))
                .containsExactly(record.deliveryId(), record.deliveryId());
        awaitCommittedOffset(1);
    }

    private static byte[] event(long appointmentId, EventType type) throws Exception {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", appointmentId).put("status", "pending");
        ObjectNode customer = Json.mapper().createObjectNode().put("id", 3).put("name", "Ana").put("phone", "0912***4567");
        return Json.mapper().writeValueAsBytes(new AppointmentEvent(type, IdempotencyKey.of(appointmentId, type).toString(),
                Instant.parse("2026-11-28T10:00:00Z"), appointment, customer, null, null, null, List.of()));
    }

    private void produce(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.appointmentEvents(), key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    private List<DeliveryRecord> awaitLedger(int count) {
        var values = JsonSerde.of(DeliveryRecord.class).deserializer();
        return awaitRecords(topics.deliveryLedger(), count).stream()
                .map(r -> values.deserialize(r.topic(), r.value())).toList();
    }

    /** Reads as an operator's tool would: only what committed transactions wrote. */
    private List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int count) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(topic)) {
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= count;
            });
            // A short extra poll: more records than expected would be a duplicate delivery record.
            consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
        }
        assertThat(seen).hasSize(count);
        return seen;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(topic)) {
            consumer.poll(Duration.ofSeconds(1)).forEach(seen::add);
        }
        return seen;
    }

    private KafkaConsumer<String, byte[]> committedReader(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        return consumer;
    }

    private void awaitCommittedOffset(long expected) {
        TopicPartition partition = new TopicPartition(topics.appointmentEvents(), 0);
        try (Admin admin = kafka.admin()) {
            await().atMost(WAIT).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                assertThat(offsets.get(partition)).isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(expected);
            });
        }
    }
}
