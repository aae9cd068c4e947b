package io.bookhook.schemas.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MakeSignatureTest {

    private static final byte[] FOX = "The quick brown fox jumps over the lazy dog".getBytes(UTF_8);
    // The well-known HMAC-SHA256 vector (key "key"), computed outside this code base.
    private static final String FOX_SIGNATURE = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

    private final MakeSignature signature = new MakeSignature("key");

    @Test
    void signs_the_published_test_vector() {
        assertThat(signature.sign(FOX)).isEqualTo(FOX_SIGNATURE);
    }

    @Test
    void signs_an_empty_body() {
        assertThat(signature.sign(new byte[0])).matches("sha256=[0-9a-f]{64}");
    }

    @Test
    void verifies_its_own_signature() {
        assertThat(signature.verify(FOX, FOX_SIGNATURE)).isTrue();
    }

    @Test
    void rejects_a_body_with_one_byte_changed() {
        byte[] tampered = FOX.clone();
        tampered[4] ^= 1;
        assertThat(signature.verify(tampered, FOX_SIGNATURE)).isFalse();
    }

    @Test
    void rejects_a_signature_made_with_another_secret() {
        assertThat(new MakeSignature("other-key").verify(FOX, FOX_SIGNATURE)).isFalse();
    }

    @Test
    void accepts_uppercase_hex_because_it_encodes_the_same_digest() {
        String upper = "sha256=" + FOX_SIGNATURE.substring("sha256=".length()).toUpperCase();
        assertThat(signature.verify(FOX, upper)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "sha256=",
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        "SHA256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        "sha1=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd",
        "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd80",
        "sha256=z7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        " sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    })
    void rejects_a_missing_or_malformed_header(String header) {
        assertThat(signature.verify(FOX, header)).isFalse();
    }

    @Test
    void rejects_a_null_body() {
        assertThat(signature.verify(null, FOX_SIGNATURE)).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void refuses_an_empty_secret(String secret) {
        assertThatThrownBy(() -> new MakeSignature(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret must not be empty");
    }

    @Test
    void does_not_reveal_the_secret_in_toString() {
        assertThat(new MakeSignature("s3cr3t-value").toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void gives_the_same_answer_from_many_threads_at_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = IntStream.range(0, 2_000)
                    .<Callable<String>>mapToObj(i -> () -> signature.sign(FOX))
                    .toList();
            for (Future<String> result : pool.invokeAll(calls)) {
                assertThat(result.get()).isEqualTo(FOX_SIGNATURE);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
