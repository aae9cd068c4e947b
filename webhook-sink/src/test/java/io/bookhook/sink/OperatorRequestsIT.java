package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry and resend requests from {@code bookhook.delivery-requests}, carried out by the sink on the real broker. */
class OperatorRequestsIT {

    private static final IdempotencyKey KEY = IdempotencyKey.of(7, EventType.CREATED);

    private final SinkTestKit kit = new SinkTestKit(2);
    private MockReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void a_retry_of_a_failed_delivery_after_the_receiver_recovered_posts_it_again_under_the_same_ids() throws Exception {
        receiver.failNext(1, 400);
        try (WebhookSink sink = WebhookSink.start(kit.settings(receiver.url()).build())) {
            kit.produce(KEY.toString(), SinkTestKit.event(7, EventType.CREATED));
            DeliveryRecord failed = kit.awaitSettled(1).get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, KEY));
            assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(1);

            kit.produceRequest(DeliveryRequest.retry("retry-1", failed, Instant.now()));

            await().atMost(SinkTestKit.WAIT).until(() -> kit.ledger().get(failed.deliveryId()).status() == DeliveryStatus.DELIVERED);
            DeliveryRecord retried = kit.ledger().get(failed.deliveryId());
            assertThat(retried.reason()).isEqualTo(DeliveryReason.RETRY);
            assertThat(retried.attempts()).isEqualTo(2);
            assertThat(receiver.received()).hasSize(2);
            ReceivedRequest second = receiver.received().get(1);
            assertThat(second.signatureValid()).isTrue();
            assertThat(second.header("X-Delivery-Id")).isEqualTo(failed.deliveryId());
            assertThat(second.header("X-Idempotency-Key")).isEqualTo(KEY.toString());
            assertThat(second.header("X-Delivery-Attempt")).isEqualTo("2");
        }
    }

    @Test
    void a_resend_requested_while_no_sink_runs_is_delivered_once_a_sink_starts_under_the_same_idempotency_key() throws Exception {
        DeliveryRecord delivered;
        try (WebhookSink sink = WebhookSink.start(kit.settings(receiver.url()).build())) {
            kit.produce(KEY.toString(), SinkTestKit.event(7, EventType.CREATED));
            delivered = kit.awaitSettled(1).get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, KEY));
            assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        }
        kit.produceRequest(DeliveryRequest.resend("resend-1", "7", null,
                List.of(new DeliveryRequest.Item(null, null, KEY.toString(), 0, delivered.payload())), Instant.now()));
        assertThat(kit.readAll(kit.topics.deliveryRequests())).as("the request waits, stored, for a sink").hasSize(1);

        try (WebhookSink sink = WebhookSink.start(kit.settings(receiver.url()).build())) {
            String resendId = DeliveryIds.forResend("resend-1", Endpoint.DEFAULT_NAME, KEY);
            await().atMost(SinkTestKit.WAIT).until(() -> kit.ledger().containsKey(resendId)
                    && kit.ledger().get(resendId).status() == DeliveryStatus.DELIVERED);
            DeliveryRecord resent = kit.ledger().get(resendId);
            assertThat(resent.reason()).isEqualTo(DeliveryReason.RESEND);
            assertThat(resent.idempotencyKey()).isEqualTo(KEY.toString());
            assertThat(kit.ledger().get(delivered.deliveryId()).status()).as("the original stays delivered").isEqualTo(DeliveryStatus.DELIVERED);

            kit.awaitCommittedRecords(kit.topics.deliveryRequests(), 1);
            assertThat(receiver.received()).as("the resend, once; the request is read and committed").hasSize(2);
            ReceivedRequest again = receiver.received().get(1);
            assertThat(again.header("X-Idempotency-Key")).isEqualTo(KEY.toString());
            assertThat(again.header("X-Delivery-Id")).isEqualTo(resendId);
            assertThat(again.signatureValid()).isTrue();
        }
    }

    @Test
    void a_retry_of_a_delivery_that_meanwhile_was_delivered_posts_nothing_and_an_unreadable_request_is_dead_lettered() throws Exception {
        try (WebhookSink sink = WebhookSink.start(kit.settings(receiver.url()).build())) {
            kit.produce(KEY.toString(), SinkTestKit.event(7, EventType.CREATED));
            DeliveryRecord delivered = kit.awaitSettled(1).get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, KEY));
            DeliveryRecord staleFailedView = delivered.next(DeliveryStatus.FAILED, 1, 500, "HTTP 500", null, Instant.now());

            kit.produceTo(kit.topics.deliveryRequests(), "7", "{\"action\":\"retry\"}".getBytes(UTF_8));
            kit.produceRequest(DeliveryRequest.retry("retry-stale", staleFailedView, Instant.now()));
            IdempotencyKey other = IdempotencyKey.of(8, EventType.CREATED);
            kit.produce(other.toString(), SinkTestKit.event(8, EventType.CREATED));
            kit.awaitSettled(2);

            await().atMost(SinkTestKit.WAIT).until(() -> !kit.readAll(kit.topics.deadLetter()).isEmpty());
            kit.awaitCommittedRecords(kit.topics.deliveryRequests(), 2);
            assertThat(receiver.received()).as("both requests read and committed, neither posted").extracting(r -> r.header("X-Idempotency-Key"))
                    .containsExactlyInAnyOrder(KEY.toString(), other.toString());
            assertThat(kit.ledger().get(delivered.deliveryId()).status()).isEqualTo(DeliveryStatus.DELIVERED);
        }
    }

    @Test
    void an_operator_retry_while_the_sink_retries_that_delivery_adds_no_second_post_and_the_ledger_ends_delivered() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<String> attempts = new CopyOnWriteArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    int now = concurrent.incrementAndGet();
                    mostAtOnce.accumulateAndGet(now, Math::max);
                    try {
                        attempts.add(request.getHeaders().get("X-Delivery-Attempt"));
                        Thread.sleep(300);
                        return new MockResponse.Builder().code(attempts.size() < 3 ? 503 : 200).build();
                    } finally {
                        concurrent.decrementAndGet();
                    }
                }
            });
            server.start();
            try (WebhookSink sink = WebhookSink.start(kit.settings(server.url("/hook").uri()).firstBackoff(Duration.ofSeconds(2))
                    .maxAttempts(5).build())) {
                kit.produce(KEY.toString(), SinkTestKit.event(7, EventType.CREATED));
                DeliveryRecord retrying = await().atMost(SinkTestKit.WAIT).until(() -> kit.ledger().get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, KEY)),
                        r -> r != null && r.status() == DeliveryStatus.RETRYING);

                // As if an operator's stale view said failed: the sink must not post it alongside its own schedule.
                kit.produceRequest(DeliveryRequest.retry("retry-now", retrying.next(DeliveryStatus.FAILED, 1, 503, null, null, Instant.now()),
                        Instant.now()));
                kit.produceRequest(DeliveryRequest.retry("retry-again", retrying.next(DeliveryStatus.FAILED, 1, 503, null, null, Instant.now()),
                        Instant.now()));

                DeliveryRecord done = await().atMost(SinkTestKit.WAIT).until(() -> kit.ledger().get(retrying.deliveryId()),
                        r -> r.status() == DeliveryStatus.DELIVERED);
                // The event and both requests are done with: their offsets commit.
                await().atMost(SinkTestKit.WAIT).until(() -> kit.committedOffsets().values().stream().mapToLong(o -> o.offset()).sum() == 3);

                assertThat(mostAtOnce.get()).as("POSTs of the delivery in flight at once").isEqualTo(1);
                assertThat(attempts).as("the schedule's attempts, and no others").containsExactly("1", "2", "3");
                assertThat(done.attempts()).isEqualTo(3);
                assertThat(done.reason()).isEqualTo(DeliveryReason.EVENT);
            }
        }
    }
}
