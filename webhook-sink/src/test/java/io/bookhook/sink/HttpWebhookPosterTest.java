package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.mockreceiver.StandardWebhookVerifier;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.TopicNames;
import io.bookhook.schemas.signing.WebhookSecret;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** One attempt against a real HTTP server, per class of answer the contract names. */
class HttpWebhookPosterTest {

    private static final String SECRET = "whsec-poster-test";
    private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] EVENT = """
            {"event_type":"created","idempotency_key":"appointment:42:created","appointment":{"id":42}}"""
            .getBytes(UTF_8);
    private static final IdempotencyKey KEY = IdempotencyKey.of(42, EventType.CREATED);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @StartStop
    public final MockWebServer server = new MockWebServer();

    // The target is per request; the settings' URL only has to be valid.
    private final WebhookPoster poster = poster(settings(DEADLINE, SignatureMode.MAKE, true));

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
        assertThat(got.getHeaders().get("webhook-signature")).as("Standard Webhooks in make mode").isNull();
    }

    @Test
    void in_both_mode_a_standard_webhooks_library_would_verify_the_request() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        WebhookPoster both = poster(settings(DEADLINE, SignatureMode.BOTH, true));

        both.post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));
        both.post(new WebhookRequest(url(), EVENT, KEY, "d-1", 2));

        RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
        RecordedRequest retry = server.takeRequest(1, TimeUnit.SECONDS);
        StandardWebhookVerifier verifier = new StandardWebhookVerifier(WebhookSecret.parse(STANDARD_SECRET, "s"),
                Clock.fixed(NOW, ZoneOffset.UTC), StandardWebhookVerifier.DEFAULT_TOLERANCE);
        assertThat(verifier.verify(first.getHeaders().get("webhook-id"), first.getHeaders().get("webhook-timestamp"),
                first.getHeaders().get("webhook-signature"), first.getBody().toByteArray())).isTrue();
        assertThat(first.getHeaders().get("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(first.getHeaders().get("webhook-id")).isEqualTo(DeliveryIds.webhookId(KEY))
                .isEqualTo(retry.getHeaders().get("webhook-id"));
        assertThat(first.getHeaders().get("X-Make-Signature")).isEqualTo("sha256=" + hmacHex(SECRET, EVENT));
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
    void gone_is_a_final_failure_marked_as_gone() {
        server.enqueue(new MockResponse.Builder().code(410).body("There is no scenario listening for this webhook.").build());

        AttemptResult result = post();

        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(result.gone()).isTrue();
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
    void keeps_only_the_first_4_KiB_of_a_10_MB_response() {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(10 * 1024 * 1024)).build());

        long started = System.nanoTime();
        AttemptResult result = post();

        assertThat(result.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(result.responseExcerpt()).hasSize(HttpWebhookPoster.MAX_RESPONSE_BYTES).matches("x+");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE);
    }

    @Test
    void a_receiver_stalling_mid_body_is_cut_off_at_the_deadline_and_its_status_still_counts() {
        Duration shortDeadline = Duration.ofMillis(400);
        server.enqueue(new MockResponse.Builder().code(200).body("y".repeat(64 * 1024))
                .throttleBody(100, 30, TimeUnit.SECONDS).build());

        long started = System.nanoTime();
        AttemptResult result = poster(settings(shortDeadline, SignatureMode.MAKE, true)).post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.verdict()).as("the receiver said 200 before stalling").isEqualTo(Verdict.DELIVERED);
        assertThat(result.error()).isEqualTo("response body cut off: timeout after 400 ms");
        assertThat(took).isBetween(shortDeadline.minusMillis(50), shortDeadline.plusSeconds(1));
    }

    @Test
    void a_receiver_stalling_before_headers_is_cut_off_at_the_deadline() {
        server.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.Stall.INSTANCE).build());

        long started = System.nanoTime();
        AttemptResult result = poster(settings(Duration.ofMillis(300), SignatureMode.MAKE, true))
                .post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));

        assertThat(result).isEqualTo(AttemptResult.noResponse("timeout after 300 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void a_connection_reset_mid_request_is_a_retryable_io_error() {
        server.enqueue(new MockResponse.Builder().code(200).onRequestStart(new SocketEffect.CloseSocket(true, false, false)).build());

        AttemptResult result = post();

        assertThat(result.verdict()).isEqualTo(Verdict.RETRYABLE);
        assertThat(result.statusCode()).isNull();
        assertThat(result.error()).startsWith("I/O error (").doesNotContain("/hook");
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
    void a_name_resolving_to_loopback_is_refused_at_connect_unless_allowed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        // A public-looking name is accepted at start; only the resolved address reveals loopback.
        URI byName = URI.create("http://localhost:" + server.getPort() + "/hook");
        WebhookPoster guarded = poster(settings(DEADLINE, SignatureMode.MAKE, false, URI.create("https://hook.example.com/x")));

        AttemptResult result = guarded.post(new WebhookRequest(byName, EVENT, KEY, "d-1", 1));

        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(result.error()).startsWith("refused to connect to private address ");
        assertThat(server.takeRequest(300, TimeUnit.MILLISECONDS)).as("a request reaching the receiver").isNull();
        assertThat(poster.post(new WebhookRequest(byName, EVENT, KEY, "d-1", 1)).verdict())
                .as("the same target with private targets allowed").isEqualTo(Verdict.DELIVERED);
    }

    @Test
    void errors_never_carry_the_secret() {
        assertThat(poster.toString()).doesNotContain(SECRET);
        assertThat(settings(DEADLINE, SignatureMode.BOTH, true).toString()).doesNotContain(SECRET, STANDARD_SECRET);
    }

    private AttemptResult post() {
        return poster.post(new WebhookRequest(url(), EVENT, KEY, "d-1", 1));
    }

    private URI url() {
        return server.url("/hook").uri();
    }

    private static SinkSettings settings(Duration deadline, SignatureMode mode, boolean allowPrivate) {
        return settings(deadline, mode, allowPrivate, URI.create("https://hook.example.com/x"));
    }

    private static SinkSettings settings(Duration deadline, SignatureMode mode, boolean allowPrivate, URI target) {
        return SinkSettings.builder(target, SECRET, Map.of("bootstrap.servers", "unused:9092"))
                .allowPrivateTargets(allowPrivate)
                .signatureMode(mode)
                .standardSecrets(List.of(STANDARD_SECRET))
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(deadline)
                .topics(TopicNames.defaults())
                .build();
    }

    private static WebhookPoster poster(SinkSettings settings) {
        return WebhookPoster.overHttp(settings.endpoints().get(0), WebhookPoster.httpClient(settings), settings.requestTimeout(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
