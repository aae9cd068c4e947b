package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 10: the sink killed with SIGKILL between a POST and its ledger write sends at most one extra POST,
 * with the same idempotency key, delivery id and webhook id; an event whose ledger write committed before the
 * kill is not posted again. RELIABILITY 28: killed while deliveries wait for retries, the next sink resumes their
 * schedules: attempt numbers continue, each wait (a receiver's Retry-After included) is kept, and nothing delivered
 * is posted again.
 */
class SinkCrashIT {

    private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @StartStop
    public final MockWebServer receiver = new MockWebServer();

    private final SinkTestKit kit = new SinkTestKit(1);

    @Test
    void a_sink_killed_mid_post_causes_at_most_one_extra_post_with_the_same_ids() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).build());                                       // A
        receiver.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.Stall.INSTANCE).build()); // B, never answered
        receiver.enqueue(new MockResponse.Builder().code(200).build());                                       // B again

        Process child = startChildSink();
        RecordedRequest firstOfB;
        try {
            kit.produce("appointment:1:created", event(1, EventType.CREATED));
            assertThat(kit.awaitSettled(1).values()).extracting(r -> r.status()).containsExactly(DeliveryStatus.DELIVERED);
            kit.produce("appointment:2:created", event(2, EventType.CREATED));
            RecordedRequest a = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(a.getHeaders().get("X-Idempotency-Key")).isEqualTo("appointment:1:created");
            firstOfB = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(firstOfB).as("B posted by the child").isNotNull();
        } finally {
            // SIGKILL while B's POST waits for an answer: after the POST, before its ledger write.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(SinkTestKit.settled(kit.ledger())).as("settled before the restart").isEqualTo(1);

        WebhookSink restarted = WebhookSink.start(kit.settings(receiver.url("/hook").uri())
                .signatureMode(SignatureMode.BOTH).standardSecrets(List.of(STANDARD_SECRET)).build());
        try {
            assertThat(kit.awaitSettled(2).values()).extracting(r -> r.status()).containsOnly(DeliveryStatus.DELIVERED);
            RecordedRequest secondOfB = receiver.takeRequest(5, TimeUnit.SECONDS);
            assertThat(secondOfB.getHeaders().get("X-Idempotency-Key")).isEqualTo("appointment:2:created")
                    .isEqualTo(firstOfB.getHeaders().get("X-Idempotency-Key"));
            assertThat(secondOfB.getHeaders().get("X-Delivery-Id")).isEqualTo(firstOfB.getHeaders().get("X-Delivery-Id"));
            assertThat(secondOfB.getHeaders().get("webhook-id")).isNotNull().isEqualTo(firstOfB.getHeaders().get("webhook-id"));
            assertThat(receiver.takeRequest(1, TimeUnit.SECONDS)).as("any further POST (of A or B)").isNull();
            assertThat(receiver.getRequestCount()).as("POSTs: A once, B twice").isEqualTo(3);
        } finally {
            restarted.close();
        }
    }

    @Test
    void a_sink_killed_while_deliveries_wait_for_retries_leaves_their_schedules_to_the_next_sink() throws Exception {
        Map<String, List<Instant>> attempts = new ConcurrentHashMap<>();
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String key = request.getHeaders().get("X-Idempotency-Key");
                String attempt = request.getHeaders().get("X-Delivery-Attempt");
                attempts.computeIfAbsent(key + "#" + attempt, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
                int appointment = Integer.parseInt(key.split(":")[1]);
                if (appointment <= WAITING && attempt.equals("1")) {
                    MockResponse.Builder busy = new MockResponse.Builder().code(503);
                    // The first one also says when to come back: longer than the backoff, so the wait must be kept.
                    return (appointment == 1 ? busy.addHeader("Retry-After", "10") : busy).build();
                }
                return new MockResponse.Builder().code(200).build();
            }
        });
        Process child = kit.startChildSink("waiting", "url=" + receiver.url("/hook"), "firstBackoffMs=6000");
        Map<String, DeliveryRecord> beforeKill;
        try {
            for (int id = 1; id <= EVENTS; id++) {
                kit.produce("appointment:" + id + ":created", event(id, EventType.CREATED));
            }
            // Everything committed: the others delivered, the first WAITING retrying with their due times.
            beforeKill = await().atMost(SinkTestKit.WAIT).until(kit::ledger, ledger -> ledger.values().stream()
                    .filter(r -> r.status() == DeliveryStatus.DELIVERED).count() == EVENTS - WAITING
                    && ledger.values().stream().filter(r -> r.status() == DeliveryStatus.RETRYING).count() == WAITING);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Instant killed = Instant.now();

        WebhookSink restarted = WebhookSink.start(kit.settings(receiver.url("/hook").uri()).build());
        try {
            Map<String, DeliveryRecord> ledger = kit.awaitSettled(EVENTS);

            long lost = ledger.values().stream().filter(r -> r.status() != DeliveryStatus.DELIVERED).count();
            long duplicates = attempts.values().stream().mapToLong(times -> times.size() - 1).sum();
            System.out.printf("sink killed while %d deliveries waited: lost=%d duplicates=%d (bounds 0 and 0)%n", WAITING, lost, duplicates);
            assertThat(lost).isZero();
            assertThat(duplicates).as("no attempt number posted twice, nothing delivered posted again").isZero();
            for (int id = 1; id <= EVENTS; id++) {
                String key = "appointment:" + id + ":created";
                DeliveryRecord record = ledger.get(SinkTestKit.deliveryId(id, EventType.CREATED));
                if (id <= WAITING) {
                    assertThat(attempts).as(key + " attempts").containsKeys(key + "#1", key + "#2").doesNotContainKey(key + "#3");
                    assertThat(record.attempts()).isEqualTo(2);
                    Instant due = beforeKill.get(record.deliveryId()).nextAttemptAt();
                    assertThat(attempts.get(key + "#2").get(0)).as(key + " attempt 2 waits for its due time").isAfterOrEqualTo(due);
                } else {
                    assertThat(attempts).as(key + " attempts").containsKey(key + "#1").doesNotContainKey(key + "#2");
                }
            }
            Instant firstAttempt = attempts.get("appointment:1:created#1").get(0);
            assertThat(attempts.get("appointment:1:created#2").get(0)).as("Retry-After: 10 kept across the kill")
                    .isAfterOrEqualTo(firstAttempt.plusSeconds(10));
            assertThat(killed).as("the kill came while the retries waited").isBefore(firstAttempt.plusSeconds(6));
        } finally {
            restarted.close();
        }
    }

    private static final int EVENTS = 12;
    private static final int WAITING = 4;

    private Process startChildSink() throws Exception {
        return kit.startChildSink("crash", "url=" + receiver.url("/hook"), "standard=" + STANDARD_SECRET,
                // Longer than the test needs to kill it: the POST must still be in flight when it dies.
                "requestTimeoutMs=60000");
    }
}
