package io.bookhook.schemas.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;

/**
 * Standard Webhooks signatures ({@code https://www.standardwebhooks.com}): {@code webhook-signature} carries
 * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>} once per active secret, space-separated,
 * so a receiver that still has the old secret during a rotation keeps verifying.
 *
 * <p>The timestamp comes from the injected {@link Clock}, never the wall clock directly, so the signature is
 * testable; each call builds its own {@link Mac} because a {@code Mac} is stateful and lanes sign concurrently.
 */
public final class StandardWebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private final List<WebhookSecret> secrets;
    private final Clock clock;

    public StandardWebhookSigner(List<WebhookSecret> secrets, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one standard webhook secret is needed");
        }
        this.secrets = List.copyOf(secrets);
        this.clock = clock;
    }

    /** The three headers for one attempt; the timestamp is this attempt's, the id the delivery's. */
    public Headers sign(String webhookId, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        return new Headers(webhookId, timestamp, signature(webhookId, timestamp, body));
    }

    /** The {@code webhook-signature} value for an explicit timestamp: what the spec's example pins. */
    public String signature(String webhookId, long timestamp, byte[] body) {
        byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>(secrets.size());
        for (WebhookSecret secret : secrets) {
            parts.add("v1," + Base64.getEncoder().encodeToString(hmac(secret, prefix, body)));
        }
        return String.join(" ", parts);
    }

    public static byte[] hmac(WebhookSecret secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret.key());
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public record Headers(String id, long timestamp, String signature) {
    }

    @Override
    public String toString() {
        return "StandardWebhookSigner[secrets=" + secrets.size() + " x ***]";
    }
}
