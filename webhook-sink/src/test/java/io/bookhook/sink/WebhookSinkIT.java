package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.WAIT;
import static io.bookhook.sink.SinkTestKit.deliveryId;
import static io.bookhook.sink.SinkTestKit.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink against the real in-JVM broker and the real mock receiver; each test has its own topics and group. */
class WebhookSinkIT {

    private final SinkTestKit kit = new SinkTestKit(1);
    private MockReceiver receiver;
    private WebhookSink sink;

    @BeforeEach
    void setUp() {
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
        sink = startSink(settings -> settings);
    }

    @AfterEach
    void tearDown() {
        sink.close();
        receiver.close();
        assertThat(sink.stopped()).succeedsWithin(Duration.ofSeconds(5));
    }

    private WebhookSink startSink(UnaryOperator<SinkSettingsBuilder> adjust) {
        return WebhookSink.start(adjust.apply(kit.settings(receiver.url())).build());
    }

    @Test
    void posts_a_signed_event_and_records_it_delivered() throws Exception {
        byte[] event = event(42, EventType.CREATED);
        kit.produce("appointment:42:created", event);

        DeliveryRecord record = kit.awaitSettled(1).get(deliveryId(42, EventType.CREATED));
        ReceivedRequest got = receiver.received().get(0);
        assertThat(got.signatureValid()).isTrue();
        assertThat(got.body()).isEqualTo(event);
        assertThat(got.header("X-Delivery-Id")).isEqualTo(record.deliveryId());
        assertThat(got.header("X-Delivery-Attempt")).isEqualTo("1");
        assertThat(got.header("X-Idempotency-Key")).isEqualTo("appointment:42:created");
        assertThat(got.header("X-Event-Type")).isEqualTo("created");

        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record.attempts()).isEqualTo(1);
        assertThat(record.lastResponseCode()).isEqualTo(200);
        assertThat(record.reason()).isEqualTo(DeliveryReason.EVENT);
        assertThat(record.idempotencyKey()).isEqualTo("appointment:42:created");
        assertThat(record.appointmentId()).isEqualTo("42");
        assertThat(record.payload()).isEqualTo(Json.mapper().readTree(event));
        // A pending record is written only when the delivery is still pending at a commit.
        assertThat(kit.ledgerHistory()).extracting(DeliveryRecord::status).last().isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(kit.ledgerHistory()).extracting(DeliveryRecord::status).containsOnlyOnce(DeliveryStatus.DELIVERED)
                .allMatch(status -> status == DeliveryStatus.PENDING || status == DeliveryStatus.DELIVERED);
        kit.awaitCommittedOffset(0, 1);
        assertThat(sink.counts().delivered()).isEqualTo(1);
    }

    @Test
    void a_rejected_event_is_recorded_failed_after_one_attempt() {
        receiver.failNext(1, 400);
        kit.produce("appointment:7:confirmed", event(7, EventType.CONFIRMED));

        DeliveryRecord record = kit.awaitSettled(1).get(deliveryId(7, EventType.CONFIRMED));

        assertThat(record.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(record.attempts()).isEqualTo(1);
        assertThat(record.lastResponseCode()).isEqualTo(400);
        assertThat(record.responseExcerpt()).contains("400");
        assertThat(receiver.received()).hasSize(1);
        kit.awaitCommittedOffset(0, 1);
    }

    @Test
    void a_server_error_is_retried_under_the_same_ids_and_each_retry_is_in_the_ledger() {
        receiver.failNext(2, 503);
        kit.produce("appointment:9:created", event(9, EventType.CREATED));

        DeliveryRecord record = kit.awaitSettled(1).get(deliveryId(9, EventType.CREATED));

        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record.attempts()).isEqualTo(3);
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Attempt")).containsExactly("1", "2", "3");
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Id")).containsOnly(record.deliveryId());
        assertThat(kit.ledgerHistory()).filteredOn(r -> r.status() != DeliveryStatus.PENDING)
                .extracting(r -> r.status().wireName() + "/" + r.attempts() + "/" + r.lastResponseCode())
                .containsExactly("retrying/1/503", "retrying/2/503", "delivered/3/200");
        assertThat(kit.ledgerHistory()).filteredOn(r -> r.status() == DeliveryStatus.RETRYING)
                .allSatisfy(r -> assertThat(r.nextAttemptAt()).isAfter(r.updatedAt()));
    }

    @Test
    void a_record_that_is_not_an_event_is_dead_lettered_and_the_next_one_still_delivered() {
        kit.produce("garbage", "{not json".getBytes(UTF_8));
        kit.produce("appointment:5:created", event(5, EventType.CREATED));

        assertThat(kit.awaitSettled(1).values()).extracting(DeliveryRecord::status).containsExactly(DeliveryStatus.DELIVERED);
        kit.awaitCommittedOffset(0, 2);
        List<ConsumerRecord<String, byte[]>> letters = kit.readAll(kit.topics.deadLetter());
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).key()).isEqualTo("garbage");
        assertThat(letters.get(0).value()).isEqualTo("{not json".getBytes(UTF_8));
        ConsumerRecord<String, byte[]> letter = letters.get(0);
        assertThat(header(letter, DeadLetterHeaders.REASON)).startsWith("not JSON");
        assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("sink");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(kit.topics.appointmentEvents());
        assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(sink.counts().deadLettered()).isEqualTo(1);
    }

    @Test
    void an_event_whose_key_the_ledger_has_delivered_is_recorded_skipped_and_not_posted() {
        kit.produce("appointment:8:created", event(8, EventType.CREATED));
        kit.awaitSettled(1);
        kit.produce("appointment:8:created", event(8, EventType.CREATED));

        Map<String, DeliveryRecord> ledger = kit.awaitSettled(2);

        assertThat(receiver.received()).hasSize(1);
        assertThat(ledger.get(deliveryId(8, EventType.CREATED)).status()).as("the delivery itself").isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(ledger.values()).filteredOn(r -> r.status() == DeliveryStatus.SKIPPED).singleElement().satisfies(skip -> {
            assertThat(skip.idempotencyKey()).isEqualTo("appointment:8:created");
            assertThat(skip.reason()).isEqualTo(DeliveryReason.REPLAY);
            assertThat(skip.attempts()).isZero();
        });
        kit.awaitCommittedOffset(0, 2);
        assertThat(sink.counts().skipped()).isEqualTo(1);
    }

    @Test
    void closing_during_a_backoff_keeps_the_schedule_and_the_next_run_makes_attempt_two_at_its_due_time() {
        sink.close();
        receiver.failNext(1, 503);
        WebhookSink patient = startSink(settings -> settings.firstBackoff(Duration.ofSeconds(3)));
        kit.produce("appointment:11:created", event(11, EventType.CREATED));
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        DeliveryRecord retrying = await().atMost(WAIT).until(() -> kit.ledger().get(deliveryId(11, EventType.CREATED)),
                r -> r != null && r.status() == DeliveryStatus.RETRYING);

        long closing = System.nanoTime();
        patient.close();

        assertThat(patient.stopped()).succeedsWithin(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.nextAttemptAt()).isNotNull();
        // The waiting delivery is durable in the delivery index, so the event's offset moved on.
        kit.awaitCommittedOffset(0, 1);

        sink = startSink(settings -> settings);
        DeliveryRecord record = kit.awaitSettled(1).get(deliveryId(11, EventType.CREATED));

        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record.attempts()).isEqualTo(2);
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Id")).containsExactly(record.deliveryId(), record.deliveryId());
        assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Attempt")).containsExactly("1", "2");
        assertThat(receiver.received().get(1).at()).as("attempt 2 waits for its due time, restart or not")
                .isAfterOrEqualTo(retrying.nextAttemptAt());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), UTF_8);
    }
}
