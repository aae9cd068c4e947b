package io.bookhook.mockreceiver;

import io.bookhook.schemas.signing.MakeSignature;
import io.bookhook.schemas.signing.StandardWebhookSigner;
import io.bookhook.schemas.signing.WebhookSecret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which signatures one request must pass: every scheme the receiver is configured for and the request carries.
 * {@code X-Make-Signature} is always configured; {@code webhook-signature} only with standard secrets, and then any
 * listed signature matching any configured secret will do (a sender mid-rotation lists one per active secret).
 * A request carrying no signature the receiver checks is refused. Reasons name headers, never secrets.
 */
final class SignatureCheck {

    static final String MISSING = "missing signature";

    private static final String MAKE_HEADER = MakeSignature.HEADER.toLowerCase(Locale.ROOT);

    private final MakeSignature make;
    private final List<StandardWebhookVerifier> standard;
    private final Clock clock;
    private final Duration tolerance;

    SignatureCheck(MakeSignature make, List<WebhookSecret> standardSecrets, Clock clock, Duration tolerance) {
        this.make = make;
        this.standard = standardSecrets.stream().map(secret -> new StandardWebhookVerifier(secret, clock, tolerance)).toList();
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /** Null when the request passes; otherwise why not, for the printed line and the 401 body. */
    String problem(Map<String, String> lowercaseHeaders, byte[] body) {
        String makeSignature = lowercaseHeaders.get(MAKE_HEADER);
        String standardSignature = standard.isEmpty() ? null : lowercaseHeaders.get(StandardWebhookSigner.SIGNATURE_HEADER);
        if (makeSignature == null && standardSignature == null) {
            return MISSING;
        }
        if (makeSignature != null && !make.verify(body, makeSignature)) {
            // Make-only receivers keep the wording they always printed.
            return standard.isEmpty() ? "bad signature" : "bad signature (" + MakeSignature.HEADER + ")";
        }
        return standardSignature == null ? null : standardProblem(lowercaseHeaders, standardSignature, body);
    }

    private String standardProblem(Map<String, String> headers, String signature, byte[] body) {
        String id = headers.get(StandardWebhookSigner.ID_HEADER);
        String timestamp = headers.get(StandardWebhookSigner.TIMESTAMP_HEADER);
        // Repeated webhook-signature headers arrive joined with ", "; the spec separates signatures with spaces.
        String signatures = signature.replace(", ", " ");
        for (StandardWebhookVerifier verifier : standard) {
            if (verifier.verify(id, timestamp, signatures, body)) {
                return null;
            }
        }
        // Only to explain the refusal; the verifier above decided it.
        if (id == null) {
            return "missing " + StandardWebhookSigner.ID_HEADER;
        }
        if (timestamp == null) {
            return "missing " + StandardWebhookSigner.TIMESTAMP_HEADER;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException notANumber) {
            return "malformed " + StandardWebhookSigner.TIMESTAMP_HEADER;
        }
        long skew = clock.instant().getEpochSecond() - seconds;
        if (Math.abs(skew) > tolerance.toSeconds()) {
            return StandardWebhookSigner.TIMESTAMP_HEADER + " " + Math.abs(skew) + " s " + (skew > 0 ? "old" : "ahead")
                    + ", outside ±" + tolerance.toSeconds() + " s";
        }
        return "bad signature (" + StandardWebhookSigner.SIGNATURE_HEADER + ")";
    }

    @Override
    public String toString() {
        return "SignatureCheck[make=***, standard=" + standard.size() + " x ***]";
    }
}
