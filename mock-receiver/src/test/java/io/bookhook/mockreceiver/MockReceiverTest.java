package io.bookhook.mockreceiver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MockReceiverTest {

    private static final String SECRET = "whsec-test-0123456789";
    private static final String OLD_STANDARD_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("the-old-standard-secret-32-bytes".getBytes(UTF_8));
    private static final String NEW_STANDARD_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("the-new-standard-secret-32-bytes".getBytes(UTF_8));
    private static final String WEBHOOK_ID = "msg_d-1";
    private static final String EVENT = """
            {"event_type":"created","idempotency_key":"appointment:42:created",\
            "appointment":{"id":42,"status":"pending"}}""";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private MockReceiver receiver;

    @BeforeEach
    void start() {
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(printed, true, UTF_8));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void accepts_a_correctly_signed_event_and_prints_one_line() throws Exception {
        HttpResponse<String> response = post(EVENT.getBytes(UTF_8), hmac(SECRET, EVENT.getBytes(UTF_8)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(receiver.deliveredCount()).isEqualTo(1);
        ReceivedRequest got = receiver.received().get(0);
        assertThat(got.signatureValid()).isTrue();
        assertThat(got.answeredStatus()).isEqualTo(200);
        assertThat(got.bodyText()).isEqualTo(EVENT);
        assertThat(got.headers()).containsEntry("x-delivery-id", "d-1").containsEntry("x-idempotency-key",
                "appointment:42:created");
        assertThat(printedLines()).containsExactly(
                "✔ created appointment:42:created delivery=d-1 attempt=1 appointment=42 status=pending");
    }

    @Test
    void refuses_a_body_with_one_byte_tampered() throws Exception {
        byte[] body = EVENT.getBytes(UTF_8);
        String signature = hmac(SECRET, body);
        body[body.length - 3] = 'X';

        assertThat(post(body, signature).statusCode()).isEqualTo(401);
        assertThat(receiver.received()).singleElement().satisfies(got -> {
            assertThat(got.signatureValid()).isFalse();
            assertThat(got.answeredStatus()).isEqualTo(401);
        });
        assertThat(receiver.deliveredCount()).isZero();
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 bad signature");
    }

    @Test
    void refuses_a_request_without_signature() throws Exception {
        assertThat(post(EVENT.getBytes(UTF_8), null).statusCode()).isEqualTo(401);
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 missing signature");
    }

    @Test
    void refuses_the_same_json_reserialised_under_the_original_signature() throws Exception {
        ObjectMapper json = new ObjectMapper();
        byte[] reserialised = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(json.readTree(EVENT));
        assertThat(json.readTree(reserialised)).isEqualTo(json.readTree(EVENT));

        assertThat(post(reserialised, hmac(SECRET, EVENT.getBytes(UTF_8))).statusCode()).isEqualTo(401);
    }

    @Test
    void fails_as_told_then_recovers() throws Exception {
        receiver.failNext(2, 503);
        byte[] body = EVENT.getBytes(UTF_8);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(post(body, hmac(SECRET, body)).statusCode());
        }

        assertThat(statuses).containsExactly(503, 503, 200);
        assertThat(receiver.deliveredCount()).isEqualTo(1);
        assertThat(receiver.received()).extracting(ReceivedRequest::signatureValid).containsOnly(true);
        assertThat(printedLines().get(0)).startsWith("✘ 503 (told to fail) created appointment:42:created");
    }

    @Test
    void a_bad_signature_does_not_use_up_a_planned_failure() throws Exception {
        receiver.failNext(1, 500);
        byte[] body = EVENT.getBytes(UTF_8);

        assertThat(post(body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(500);
        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(200);
    }

    @Test
    void fails_the_first_requests_given_in_the_config() throws Exception {
        receiver.close();
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withFailFirst(1, 429),
                new PrintStream(printed, true, UTF_8));
        byte[] body = EVENT.getBytes(UTF_8);

        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(429);
        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(200);
    }

    @Test
    void stalls_before_answering() throws Exception {
        receiver.stallFor(Duration.ofMillis(300));
        byte[] body = EVENT.getBytes(UTF_8);

        long started = System.nanoTime();
        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void answers_stalled_requests_in_parallel() throws Exception {
        // Four requests stalled 1 s each: one at a time they take 4 s; the bound leaves 2 s for a busy machine.
        receiver.stallFor(Duration.ofSeconds(1));
        byte[] body = EVENT.getBytes(UTF_8);

        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(client.sendAsync(request(body, hmac(SECRET, body)), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(receiver.deliveredCount()).isEqualTo(4);
    }

    @Test
    void switches_nagle_off_for_the_jdk_http_server_before_it_is_used() {
        // Without it every answer waits ~40 ms (Nagle plus delayed ACK). The effect itself is measured, not
        // asserted here: the sink benchmark in docs/BENCHMARKS.md runs at ~1,200 deliveries/s against this receiver,
        // where 40 ms per answer would cap it at 100/s.
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void refuses_a_body_over_one_mebibyte() throws Exception {
        byte[] huge = new byte[(1 << 20) + 1];
        assertThat(post(huge, hmac(SECRET, huge)).statusCode()).isEqualTo(413);
        assertThat(receiver.deliveredCount()).isZero();
    }

    @Test
    void refuses_methods_other_than_post() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(receiver.url()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void describes_an_event_of_a_mapped_app_by_its_appointment_id_and_status() throws Exception {
        byte[] body = ("{\"event_type\":\"created\",\"idempotency_key\":\"appointment:B-1:created\",\"appointment_id\":\"B-1\","
                + "\"status\":\"pending\",\"appointment\":{\"booking_no\":\"B-1\",\"state\":\"NEW\"}}").getBytes(UTF_8);

        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(200);
        assertThat(printedLines()).containsExactly(
                "✔ created appointment:B-1:created delivery=d-1 attempt=1 appointment=B-1 status=pending");
    }

    @Test
    void describes_a_signed_body_that_is_not_the_expected_json() throws Exception {
        byte[] body = "not json at all".getBytes(UTF_8);

        assertThat(post(body, hmac(SECRET, body)).statusCode()).isEqualTo(200);
        assertThat(printedLines()).containsExactly(
                "✔ created appointment:42:created delivery=d-1 attempt=1 appointment=? status=?");
    }

    @Test
    void never_prints_the_secret() throws Exception {
        byte[] body = EVENT.getBytes(UTF_8);
        post(body, hmac(SECRET, body));
        post(body, hmac("wrong", body));
        post(body, null);

        assertThat(printed.toString(UTF_8)).doesNotContain(SECRET);
        assertThat(MockReceiverConfig.defaults(SECRET).toString()).doesNotContain(SECRET);
        assertThat(receiver.toString()).doesNotContain(SECRET);
    }

    @Test
    void reports_a_loopback_url_on_its_port() {
        assertThat(receiver.url().toString()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/webhook");
        assertThat(receiver.port()).isPositive();
    }

    @Test
    void await_delivered_gives_up_after_the_timeout() throws Exception {
        long started = System.nanoTime();
        assertThat(receiver.awaitDelivered(1, Duration.ofMillis(200))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void await_delivered_wakes_up_on_a_delivery() throws Exception {
        byte[] body = EVENT.getBytes(UTF_8);
        client.sendAsync(request(body, hmac(SECRET, body)), HttpResponse.BodyHandlers.discarding());

        assertThat(receiver.awaitDelivered(1, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void closes_promptly_while_a_request_is_stalled() throws Exception {
        receiver.stallFor(Duration.ofSeconds(30));
        byte[] body = EVENT.getBytes(UTF_8);
        CompletableFuture<HttpResponse<String>> stalled =
                client.sendAsync(request(body, hmac(SECRET, body)), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200); // let the request reach the handler

        long started = System.nanoTime();
        receiver.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(stalled).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void refuses_bad_settings_without_echoing_the_secret() {
        assertThatThrownBy(() -> MockReceiverConfig.defaults(" ")).hasMessage("secret must not be empty");
        assertThatThrownBy(() -> MockReceiverConfig.defaults(SECRET).withFailFirst(1, 200))
                .hasMessage("failure status must be 300–599, was 200");
        assertThatThrownBy(() -> receiver.failNext(-1, 500)).hasMessage("count must be >= 0, was -1");
        assertThatThrownBy(() -> receiver.stallFor(Duration.ofMillis(-1))).hasMessageStartingWith("stall must not be negative");
    }

    @Test
    void the_tests_standard_signature_reproduces_the_specs_published_example() throws Exception {
        assertThat(standardSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(UTF_8))).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void accepts_a_correctly_signed_standard_webhooks_request() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();

        assertThat(post(body, null, standardHeaders(now, standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body)))
                .statusCode()).isEqualTo(200);
        assertThat(receiver.received()).singleElement().satisfies(got -> assertThat(got.signatureValid()).isTrue());
        assertThat(printedLines()).containsExactly(
                "✔ created appointment:42:created delivery=d-1 attempt=1 appointment=42 status=pending");
    }

    @Test
    void during_a_rotation_accepts_the_header_when_only_the_second_signatures_secret_is_configured() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();
        String both = standardSignature(OLD_STANDARD_SECRET, WEBHOOK_ID, now, body) + " "
                + standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body);

        assertThat(post(body, null, standardHeaders(now, both)).statusCode()).isEqualTo(200);
        assertThat(receiver.deliveredCount()).isEqualTo(1);
    }

    @Test
    void refuses_a_standard_signed_body_with_one_byte_tampered() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();
        String signature = standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body);
        body[body.length - 3] = 'X';

        assertThat(post(body, null, standardHeaders(now, signature)).statusCode()).isEqualTo(401);
        assertThat(receiver.received()).singleElement().satisfies(got -> assertThat(got.signatureValid()).isFalse());
        assertThat(receiver.deliveredCount()).isZero();
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 bad signature (webhook-signature)");
    }

    @Test
    void refuses_a_standard_signature_ten_minutes_old() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long tenMinutesAgo = now() - 600;

        HttpResponse<String> response = post(body, null,
                standardHeaders(tenMinutesAgo, standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, tenMinutesAgo, body)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("webhook-timestamp").contains("outside ±300 s");
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 webhook-timestamp 60");
    }

    @Test
    void refuses_a_request_without_webhook_signature_when_only_standard_headers_could_be_checked() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        Map<String, String> headers = standardHeaders(now(), null);

        assertThat(post(EVENT.getBytes(UTF_8), null, headers).statusCode()).isEqualTo(401);
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 missing signature");
    }

    @Test
    void accepts_a_request_with_both_signatures_valid() throws Exception {
        useStandardSecrets(OLD_STANDARD_SECRET, NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();

        assertThat(post(body, hmac(SECRET, body), standardHeaders(now, standardSignature(OLD_STANDARD_SECRET, WEBHOOK_ID, now, body)))
                .statusCode()).isEqualTo(200);
        assertThat(receiver.deliveredCount()).isEqualTo(1);
    }

    @Test
    void refuses_a_valid_make_signature_next_to_a_tampered_standard_one() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();
        String tampered = standardSignature(NEW_STANDARD_SECRET, "msg_other", now, body);

        assertThat(post(body, hmac(SECRET, body), standardHeaders(now, tampered)).statusCode()).isEqualTo(401);
        assertThat(receiver.deliveredCount()).isZero();
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 bad signature (webhook-signature)");
    }

    @Test
    void refuses_a_valid_standard_signature_next_to_a_bad_make_one() throws Exception {
        useStandardSecrets(NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();

        assertThat(post(body, hmac("wrong", body), standardHeaders(now, standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body)))
                .statusCode()).isEqualTo(401);
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 bad signature (X-Make-Signature)");
    }

    @Test
    void a_make_only_receiver_does_not_count_a_standard_signature() throws Exception {
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();

        assertThat(post(body, null, standardHeaders(now, standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body)))
                .statusCode()).isEqualTo(401);
        assertThat(printedLines()).singleElement().asString().startsWith("✘ 401 missing signature");
    }

    @Test
    void never_prints_a_standard_secret_and_refuses_a_malformed_one_by_position() throws Exception {
        useStandardSecrets(OLD_STANDARD_SECRET, NEW_STANDARD_SECRET);
        byte[] body = EVENT.getBytes(UTF_8);
        long now = now();
        post(body, null, standardHeaders(now, standardSignature(NEW_STANDARD_SECRET, WEBHOOK_ID, now, body)));
        post(body, null, standardHeaders(now, standardSignature("whsec_" + Base64.getEncoder().encodeToString(new byte[32]),
                WEBHOOK_ID, now, body)));

        MockReceiverConfig config = MockReceiverConfig.defaults(SECRET).withStandardSecrets(List.of(OLD_STANDARD_SECRET, NEW_STANDARD_SECRET));
        assertThat(printed.toString(UTF_8) + config + receiver)
                .doesNotContain(OLD_STANDARD_SECRET.substring(6)).doesNotContain(NEW_STANDARD_SECRET.substring(6));
        assertThat(config.toString()).endsWith("standardSecrets=2 x ***]");
        assertThatThrownBy(() -> MockReceiverConfig.defaults(SECRET).withStandardSecrets(List.of(NEW_STANDARD_SECRET, "not-a-whsec-value")))
                .hasMessage("standard webhook secret 2 must start with whsec_");
        assertThat(MockReceiverConfig.defaults(SECRET).standardSecrets()).isEmpty();
    }

    private HttpResponse<String> post(byte[] body, String signature) throws Exception {
        return client.send(request(body, signature), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(byte[] body, String makeSignature, Map<String, String> extraHeaders) throws Exception {
        HttpRequest.Builder builder = builder(body, makeSignature);
        extraHeaders.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(byte[] body, String signature) {
        return builder(body, signature).build();
    }

    private HttpRequest.Builder builder(byte[] body, String signature) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(receiver.url())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Idempotency-Key", "appointment:42:created")
                .header("X-Event-Type", "created")
                .header("X-Delivery-Id", "d-1")
                .header("X-Delivery-Attempt", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            builder.header("X-Make-Signature", signature);
        }
        return builder;
    }

    private void useStandardSecrets(String... standardSecrets) {
        receiver.close();
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withStandardSecrets(List.of(standardSecrets)),
                new PrintStream(printed, true, UTF_8));
    }

    /** {@code webhook-id} and {@code webhook-timestamp}, plus {@code webhook-signature} unless it is null. */
    private static Map<String, String> standardHeaders(long timestamp, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", WEBHOOK_ID);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        if (signature != null) {
            headers.put("webhook-signature", signature);
        }
        return headers;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** Computed here from the spec, not with StandardWebhookSigner, so the receiver is not checked by the code it uses. */
    private static String standardSignature(String whsecSecret, String id, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(whsecSecret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** Computed here, not with MakeSignature, so the receiver is not checked by the code it uses. */
    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private List<String> printedLines() {
        return printed.toString(UTF_8).lines().toList();
    }
}
