package io.bookhook.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Turns what happened on the wire into a {@link Verdict}: a pure function of the status, the
 * {@code Retry-After} value and the failure, so the whole table is testable without a server.
 */
final class ResponseClassifier {

    private static final Set<Integer> RETRYABLE_CLIENT_ERRORS = Set.of(408, 425, 429);

    private final Clock clock;

    ResponseClassifier(Clock clock) {
        this.clock = clock;
    }

    static Verdict verdictFor(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        if (RETRYABLE_CLIENT_ERRORS.contains(status) || (status >= 500 && status < 600)) {
            return Verdict.RETRYABLE;
        }
        // 3xx included: the redirect is not followed, and asking again gets the same redirect.
        return Verdict.FAILED;
    }

    AttemptResult response(int status, String retryAfterHeader, String excerpt) {
        return new AttemptResult(status, null, excerpt, verdictFor(status), retryAfter(retryAfterHeader));
    }

    /** A failure before a complete answer; the message is built from the type, never from request data. */
    static AttemptResult failure(Throwable cause, Duration deadline) {
        return AttemptResult.noResponse(describe(cause, deadline));
    }

    static String describe(Throwable cause, Duration deadline) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timeout";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return "timeout after " + humanSeconds(deadline);
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof InterruptedException) {
            return "interrupted";
        }
        String message = cause.getMessage();
        String kind = cause instanceof IOException ? "I/O error" : "unexpected error";
        return kind + " (" + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message) + ")";
    }

    /**
     * {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable,
     * zero for a date already past.
     */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
        }
        try {
            Duration untilThen = Duration.between(clock.instant(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return untilThen.isNegative() ? Duration.ZERO : untilThen;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static String humanSeconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
