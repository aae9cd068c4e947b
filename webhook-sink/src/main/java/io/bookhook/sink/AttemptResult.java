package io.bookhook.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one POST.
 *
 * @param statusCode      the response status; null when no response arrived
 * @param error           why there was no usable answer ("connection refused", "timeout after 15 s"), or null
 * @param responseExcerpt the first few KiB of the response body as text; null when none was read
 * @param verdict         what the outcome means for the delivery
 * @param retryAfter      the receiver's {@code Retry-After}, or null when it sent none
 */
public record AttemptResult(Integer statusCode, String error, String responseExcerpt, Verdict verdict,
                            Duration retryAfter) {

    public AttemptResult {
        Objects.requireNonNull(verdict, "verdict");
        if (statusCode == null && error == null) {
            throw new IllegalArgumentException("an attempt without a status code must say what went wrong");
        }
    }

    /** No response at all: worth another try. */
    static AttemptResult noResponse(String error) {
        return new AttemptResult(null, error, null, Verdict.RETRYABLE, null);
    }

    /** Not sent, and asking again would not change that (a private target). */
    static AttemptResult refused(String error) {
        return new AttemptResult(null, error, null, Verdict.FAILED, null);
    }

    AttemptResult withError(String newError) {
        return new AttemptResult(statusCode, newError, responseExcerpt, verdict, retryAfter);
    }

    /** 410 Gone: the receiver paused or removed the endpoint. */
    boolean gone() {
        return statusCode != null && statusCode == 410;
    }

    /** One short phrase for logs and the ledger. */
    String describe() {
        return statusCode != null ? "HTTP " + statusCode + (error == null ? "" : " (" + error + ")") : error;
    }
}
