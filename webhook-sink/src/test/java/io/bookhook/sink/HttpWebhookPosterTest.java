package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.sink.signing.MakeSignature;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class HttpWebhookPosterTest {

    private static final String SECRET = "whsec-poster-test";
    private static final byte[] EVENT = """
            {"event_type":"created","idempotency_key":"appointment:42:created","appointment":{"id":42}}"""
            .getBytes(UTF_8);
    private static final IdempotencyKey KEY = IdempotencyKey.of(42, EventType.CREATED);
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private final WebhookPoster poster = poster(DEADLINE);

    @Test
    void posts_the_event_bytes_unchanged_with_signature_and_delivery_headers() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).body("accepted").build());

        AttemptResult result = poster.post(new WebhookRequest(url(), EVENT, KEY, "d-7", 3));

        assertThat(result).isEqualTo(new AttemptResult(202, null, "accepted", Verdict.DELIVERED, null));
        RecordedRequest got = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(got.getMethod()).isEqualTo("POST");
        assertThat(got.getBody().toByteArray()).isEqualTo(EVENT);
        assertThat(got.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(got.getHeaders().get("X-Make-Signature")).isEqualTo("sha256=" + hmacHex(SECRET, EVENT));
        assertThat(got.getHeaders().get("X-Idempotency-Key")).isEqualTo("appointment:42:created");
        assertThat(got.getHeaders().get("X-Event-Type")).isEqualTo("created");
        assertThat(got.getHeaders().get("X-Delivery-Id")).isEqualTo("d-7");
        assertThat(got.getHeaders().get("X-Delivery-Attempt")).isEqualTo("3");
    }

    @Test
    void a_server_error_is_retryable() {
        server.enqueue(new MockResponse.Builder().code(500).body("boom").build());

        assertThat(post()).isEqualTo(new AttemptResult(500, null, "boom", Verdict.RETRYABLE, null));
    }

    @Test
    void too_many_requests_is_retryable_after_the_receivers_delay() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());

        AttemptResult result = post();

        assertThat(result.verdict()).isEqualTo(Verdict.RETRYABLE);
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void a_bad_request_fails_at_once() {
        server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"bad\"}").build());

        assertThat(post()).isEqualTo(new AttemptResult(400, null, "{\"error\":\"bad\"}", Verdict.FAILED, null));
    }

    @Test
    void a_redirect_is_neither_followed_nor_delivered() throws Exception {
        server.enqueue(new MockResponse.Builder().code(301).addHeader("Location", server.url("/elsewhere")).build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        AttemptResult result = post();

        assertThat(result.statusCode()).isEqualTo(301);
        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getTarget()).isEqualTo("/hook");
        assertThat(server.takeRequest(300, TimeUnit.MILLISECONDS)).as("a second request").isNull();
    }

    @Test
    void keeps_only_the_first_4_KiB_of_a_huge_response() {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(10 * 1024 * 1024)).build());

        long started = System.nanoTime();
        AttemptResult result = post();

        assertThat(result.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(result.responseExcerpt()).hasSize(HttpWebhookPoster.MAX_RESPONSE_BYTES).matches("x+");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE);
    }

    @Test
    void a_receiver_stalling_mid_body_is_cut_off_at_the_deadline() {
        Duration shortDeadline = Duration.ofMillis(400);
        server.enqueue(new MockResponse.Builder().code(200).body("y".repeat(64 * 1024))
                .throttleBody(100, 30, TimeUnit.SECONDS).build());

        long started = System.nanoTime();
        AttemptResult result = poster(shortDeadline).post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result).isEqualTo(AttemptResult.noResponse("timeout after 400 ms"));
        assertThat(took).isBetween(shortDeadline, shortDeadline.plusSeconds(1));
    }

    @Test
    void a_receiver_stalling_before_headers_is_cut_off_at_the_deadline() {
        server.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.Stall.INSTANCE).build());

        AttemptResult result = poster(Duration.ofMillis(300)).post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));

        assertThat(result.verdict()).isEqualTo(Verdict.RETRYABLE);
        assertThat(result.error()).isEqualTo("timeout after 300 ms");
    }

    @Test
    void a_closed_port_is_a_retryable_connection_refusal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        AttemptResult result = poster.post(new WebhookRequest(URI.create("http://127.0.0.1:" + closedPort + "/hook"),
                EVENT, KEY, "d-1", 1));

        assertThat(result).isEqualTo(AttemptResult.noResponse("connection refused"));
    }

    @Test
    void errors_never_carry_the_secret() {
        assertThat(poster.toString()).doesNotContain(SECRET);
        assertThat(new MakeSignature(SECRET).toString()).doesNotContain(SECRET);
    }

    private AttemptResult post() {
        return poster.post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));
    }

    private URI url() {
        return server.url("/hook").uri();
    }

    private static WebhookPoster poster(Duration deadline) {
        return new HttpWebhookPoster(WebhookPoster.httpClient(Duration.ofSeconds(2)), new MakeSignature(SECRET),
                new ResponseClassifier(Clock.systemUTC()), deadline);
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
