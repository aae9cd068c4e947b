package io.bookhook.schemas.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seed's webhook signature: {@code X-Make-Signature: sha256=<lowercase hex of
 * HMAC-SHA256(secret, raw body)>}. Signs exactly the bytes that go on the wire, so a receiver
 * that re-serialises the JSON before verifying will (rightly) fail.
 *
 * <p>Thread-safe: a {@link Mac} is stateful, so each call gets its own instead of sharing one.
 */
public final class MakeSignature {

    public static final String HEADER = "X-Make-Signature";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";
    private static final int DIGEST_HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;

    public MakeSignature(String secret) {
        // The message names the setting, never the value: a misconfigured secret must not reach a log.
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body}: {@code "sha256="} followed by 64 lowercase hex digits. */
    public String sign(byte[] body) {
        return PREFIX + HEX.formatHex(digest(body));
    }

    /**
     * Whether {@code headerValue} is a valid signature of {@code body}. Hex digits are compared as
     * the bytes they encode, so uppercase hex from a lenient sender is accepted; anything not
     * shaped like {@code sha256=<64 hex digits>} is rejected without computing a digest.
     */
    public boolean verify(byte[] body, String headerValue) {
        if (body == null || headerValue == null || !headerValue.startsWith(PREFIX)) {
            return false;
        }
        String hex = headerValue.substring(PREFIX.length());
        if (hex.length() != DIGEST_HEX_LENGTH) {
            return false;
        }
        byte[] presented;
        try {
            presented = HEX.parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        // Constant time, so response timing does not leak how many leading bytes matched.
        return MessageDigest.isEqual(digest(body), presented);
    }

    private byte[] digest(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE runtime; reaching this means a broken JDK.
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MakeSignature[header=" + HEADER + ", secret=***]";
    }
}
