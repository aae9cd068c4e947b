package io.bookhook.mockreceiver;

import io.bookhook.schemas.signing.StandardWebhookSigner;
import io.bookhook.schemas.signing.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The receiving side of {@link StandardWebhookSigner}, as the spec's libraries verify: the timestamp within a
 * tolerance of the verifier's clock, then any {@code v1} signature in the header matching, compared in constant
 * time. Used by the mock receiver and the tests; a real receiver uses its own library.
 */
public final class StandardWebhookVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final WebhookSecret secret;
    private final Clock clock;
    private final Duration tolerance;

    public StandardWebhookVerifier(WebhookSecret secret, Clock clock, Duration tolerance) {
        this.secret = secret;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    public boolean verify(String id, String timestamp, String signatureHeader, byte[] body) {
        if (id == null || timestamp == null || signatureHeader == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException notANumber) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = StandardWebhookSigner.hmac(secret, (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        for (String part : signatureHeader.trim().split(" +")) {
            if (part.startsWith("v1,") && MessageDigest.isEqual(expected, decode(part.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }
}
