package io.bookhook.mockreceiver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.signing.StandardWebhookSigner;
import io.bookhook.schemas.signing.WebhookSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StandardWebhookSignerTest {

    // The example published with the Standard Webhooks specification (and in its reference libraries' tests).
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String NEXT_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("a-rotated-secret-of-32-bytes!!!!".getBytes(UTF_8));

    private final Clock specClock = Clock.fixed(Instant.ofEpochSecond(SPEC_TIMESTAMP), ZoneOffset.UTC);

    @Test
    void reproduces_the_specs_published_example_signature() {
        StandardWebhookSigner signer = new StandardWebhookSigner(List.of(secret(SPEC_SECRET)), specClock);

        assertThat(signer.sign(SPEC_ID, SPEC_BODY)).isEqualTo(new StandardWebhookSigner.Headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE));
    }

    @Test
    void the_timestamp_comes_from_the_clock_of_each_attempt() {
        Instant later = Instant.ofEpochSecond(SPEC_TIMESTAMP + 90);
        StandardWebhookSigner signer = new StandardWebhookSigner(List.of(secret(SPEC_SECRET)), Clock.fixed(later, ZoneOffset.UTC));

        StandardWebhookSigner.Headers headers = signer.sign(SPEC_ID, SPEC_BODY);

        assertThat(headers.timestamp()).isEqualTo(later.getEpochSecond());
        assertThat(headers.signature()).isNotEqualTo(SPEC_SIGNATURE);
        assertThat(verifier(SPEC_SECRET, later).verify(SPEC_ID, Long.toString(headers.timestamp()), headers.signature(), SPEC_BODY)).isTrue();
    }

    @Test
    void during_a_rotation_each_secret_signs_and_either_verifies() {
        StandardWebhookSigner signer = new StandardWebhookSigner(List.of(secret(NEXT_SECRET), secret(SPEC_SECRET)), specClock);

        String header = signer.signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        assertThat(header.split(" ")).hasSize(2).contains(SPEC_SIGNATURE);
        assertThat(verifier(SPEC_SECRET, specClock.instant()).verify(SPEC_ID, "" + SPEC_TIMESTAMP, header, SPEC_BODY)).isTrue();
        assertThat(verifier(NEXT_SECRET, specClock.instant()).verify(SPEC_ID, "" + SPEC_TIMESTAMP, header, SPEC_BODY)).isTrue();
    }

    @Test
    void tampering_fails_verification() {
        StandardWebhookVerifier verifier = verifier(SPEC_SECRET, specClock.instant());
        byte[] tampered = SPEC_BODY.clone();
        tampered[3] ^= 1;

        assertThat(verifier.verify(SPEC_ID, "" + SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)).isTrue();
        assertThat(verifier.verify(SPEC_ID, "" + SPEC_TIMESTAMP, SPEC_SIGNATURE, tampered)).as("one byte").isFalse();
        assertThat(verifier.verify(SPEC_ID, "" + SPEC_TIMESTAMP, SPEC_SIGNATURE, "{\"test\":2432232314}".getBytes(UTF_8)))
                .as("re-serialised JSON").isFalse();
        assertThat(verifier.verify("msg_other", "" + SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)).as("another id").isFalse();
        assertThat(verifier.verify(SPEC_ID, "" + SPEC_TIMESTAMP, null, SPEC_BODY)).as("missing header").isFalse();
        assertThat(verifier(SPEC_SECRET, specClock.instant().plus(Duration.ofMinutes(6)))
                .verify(SPEC_ID, "" + SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)).as("outside the tolerance").isFalse();
    }

    @Test
    void signs_correctly_from_many_threads_at_once() throws Exception {
        StandardWebhookSigner signer = new StandardWebhookSigner(List.of(secret(SPEC_SECRET)), specClock);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 4_000; i++) {
            pool.execute(() -> seen.add(signer.signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(seen).containsExactly(SPEC_SIGNATURE);
    }

    @Test
    void refuses_malformed_secrets_without_echoing_them() {
        assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "standard webhook secret 1"))
                .hasMessage("standard webhook secret 1 must start with whsec_");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_not base64!", "standard webhook secret 2"))
                .hasMessage("standard webhook secret 2 must be whsec_ followed by base64");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=", "standard webhook secret 1"))
                .hasMessage("standard webhook secret 1 must decode to 24–64 bytes, was 5");
        assertThat(secret(SPEC_SECRET).toString()).doesNotContain("MfKQ");
        assertThat(new StandardWebhookSigner(List.of(secret(SPEC_SECRET)), specClock).toString()).doesNotContain("MfKQ");
    }

    private static WebhookSecret secret(String text) {
        return WebhookSecret.parse(text, "secret");
    }

    private static StandardWebhookVerifier verifier(String secret, Instant now) {
        return new StandardWebhookVerifier(secret(secret), Clock.fixed(now, ZoneOffset.UTC), StandardWebhookVerifier.DEFAULT_TOLERANCE);
    }
}
