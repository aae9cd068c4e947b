package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.app.bench.LatencyLog.Answer;
import io.bookhook.app.bench.LatencyLog.EventKind;
import io.bookhook.schemas.signing.MakeSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BenchReceiverTest {

    private static final String SECRET = "bench-test-secret";
    private static final String OCCURRED_AT = "2026-12-02T10:15:30.123Z";
    private static final byte[] BODY = ("{\"event_type\":\"created\",\"idempotency_key\":\"appointment:42:created\","
            + "\"occurred_at\":\"" + OCCURRED_AT + "\",\"appointment\":{\"id\":42,\"occurred_at\":\"not this one\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LatencyLog log = new LatencyLog(1);
    private BenchReceiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private int post(URI url, byte[] body, String signature, String attempt) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("X-Idempotency-Key", "appointment:42:created")
                .header("X-Delivery-Attempt", attempt).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(MakeSignature.HEADER, signature);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void a_signed_webhook_is_answered_200_and_recorded_with_its_commit_time_key_and_attempt() throws Exception {
        receiver = BenchReceiver.start(SECRET, log, Duration.ZERO, 0);
        long before = System.currentTimeMillis();

        assertThat(post(receiver.url(), BODY, new MakeSignature(SECRET).sign(BODY), "3")).isEqualTo(200);

        Answer answer = log.get(0);
        assertThat(answer.appointmentId()).isEqualTo(42);
        assertThat(answer.kind()).isEqualTo(EventKind.CREATED);
        assertThat(answer.occurredAtMs()).isEqualTo(Instant.parse(OCCURRED_AT).toEpochMilli());
        assertThat(answer.answeredAtMs()).isBetween(before, System.currentTimeMillis());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.attempt()).isEqualTo(3);
        assertThat(answer.firstDelivery()).isTrue();
        assertThat(receiver.sampleBody()).hasValue(BODY);
    }

    @Test
    void a_bad_or_missing_signature_is_answered_401_and_counted() throws Exception {
        receiver = BenchReceiver.start(SECRET, log, Duration.ZERO, 0);

        assertThat(post(receiver.url(), BODY, new MakeSignature("another-secret").sign(BODY), "1")).isEqualTo(401);
        assertThat(post(receiver.url(), BODY, null, "1")).isEqualTo(401);

        assertThat(receiver.badSignatures()).isEqualTo(2);
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.firstDeliveries()).isZero();
        assertThat(receiver.sampleBody()).isEmpty();
    }

    @Test
    void with_a_failure_rate_of_one_every_webhook_is_answered_500() throws Exception {
        receiver = BenchReceiver.start(SECRET, log, Duration.ZERO, 1.0);

        for (int i = 0; i < 5; i++) {
            assertThat(post(receiver.url(), BODY, new MakeSignature(SECRET).sign(BODY), "1")).isEqualTo(500);
        }
        assertThat(log.size()).isEqualTo(5);
        assertThat(log.firstDeliveries()).isZero();
    }

    @Test
    void a_slow_receiver_answers_after_its_latency_without_a_thread_per_request() throws Exception {
        receiver = BenchReceiver.start(SECRET, log, Duration.ofMillis(300), 0);
        String signature = new MakeSignature(SECRET).sign(BODY);
        long before = System.currentTimeMillis();

        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(receiver.url()).header(MakeSignature.HEADER, signature)
                    .header("X-Idempotency-Key", "appointment:" + (i + 1) + ":created")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        for (var answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }

        assertThat(log.size()).isEqualTo(20);
        log.forEach(answer -> assertThat(answer.answeredAtMs() - before).isGreaterThanOrEqualTo(300));
        // The timer answers: no handler thread sleeps through the latency.
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("bench-receiver-timer")).hasSize(1);
    }

    @Test
    void raw_requests_are_checked_and_counted_but_never_logged() throws Exception {
        receiver = BenchReceiver.start(SECRET, log, Duration.ZERO, 0);

        assertThat(post(receiver.rawUrl(), BODY, new MakeSignature(SECRET).sign(BODY), "1")).isEqualTo(200);
        assertThat(post(receiver.rawUrl(), BODY, "sha256=00", "1")).isEqualTo(401);

        assertThat(receiver.rawAnswered()).isEqualTo(1);
        assertThat(log.size()).isZero();
    }

    @Test
    void keys_and_bodies_it_cannot_read_are_recorded_as_unknown() {
        assertThat(WebhookFields.appointmentId("appointment:17:confirmed")).isEqualTo(17);
        assertThat(WebhookFields.kind("appointment:17:confirmed")).isEqualTo(EventKind.CONFIRMED);
        assertThat(WebhookFields.appointmentId("appointment:abc:created")).isEqualTo(LatencyLog.UNKNOWN_ID);
        assertThat(WebhookFields.appointmentId(null)).isEqualTo(LatencyLog.UNKNOWN_ID);
        assertThat(WebhookFields.kind("appointment:1:cancelled")).isEqualTo(EventKind.UNKNOWN);
        assertThat(WebhookFields.occurredAt("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(LatencyLog.UNKNOWN_TIME);
        assertThat(WebhookFields.occurredAt("{\"occurred_at\":12}".getBytes(StandardCharsets.UTF_8))).isEqualTo(LatencyLog.UNKNOWN_TIME);
    }
}
