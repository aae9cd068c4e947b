package io.bookhook.mockreceiver;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request as {@link MockReceiver} saw it and answered it.
 *
 * @param at              when it arrived
 * @param headers         header names in lowercase; repeated headers joined with {@code ", "}
 * @param body            the raw bytes received (empty when refused before reading)
 * @param signatureValid  whether every signature the receiver checks and the request carried matched (at least one)
 * @param answeredStatus  the status sent back
 */
public record ReceivedRequest(Instant at, Map<String, String> headers, byte[] body, boolean signatureValid,
                              int answeredStatus) {

    public ReceivedRequest {
        Objects.requireNonNull(at, "at");
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** A copy, so the recorded evidence cannot be altered by a caller. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The header value, looked up case-insensitively; null when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** A valid request answered 2xx: what a sender may count as delivered. */
    public boolean delivered() {
        return signatureValid && answeredStatus / 100 == 2;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedRequest that
                && at.equals(that.at) && headers.equals(that.headers) && Arrays.equals(body, that.body)
                && signatureValid == that.signatureValid && answeredStatus == that.answeredStatus;
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, headers, Arrays.hashCode(body), signatureValid, answeredStatus);
    }

    @Override
    public String toString() {
        return "ReceivedRequest[at=" + at + ", headers=" + headers + ", body=" + body.length + " bytes, signatureValid="
                + signatureValid + ", answeredStatus=" + answeredStatus + "]";
    }
}
