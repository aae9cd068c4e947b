package io.bookhook.schemas.signing;

import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks secret: {@code whsec_} followed by base64 of 24–64 random bytes. Parsing checks the form
 * and the key length once, at start; errors name the setting's position, never the value.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private final SecretKeySpec key;

    private WebhookSecret(SecretKeySpec key) {
        this.key = key;
    }

    /** {@code description} names the secret in an error ("standard webhook secret 2"), since the value must not be shown. */
    public static WebhookSecret parse(String secret, String description) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException(description + " must start with " + PREFIX);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(description + " must be " + PREFIX + " followed by base64");
        }
        if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(description + " must decode to " + MIN_KEY_BYTES + "–" + MAX_KEY_BYTES
                    + " bytes, was " + bytes.length);
        }
        return new WebhookSecret(new SecretKeySpec(bytes, "HmacSHA256"));
    }

    SecretKeySpec key() {
        return key;
    }

    @Override
    public String toString() {
        return "WebhookSecret[***]";
    }
}
