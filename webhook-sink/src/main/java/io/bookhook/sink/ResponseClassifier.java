package io.bookhook.sink;

import io.bookhook.runtime.Causes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what happened on the wire into a {@link Verdict}: a pure function of the status, the
 * {@code Retry-After} value and the failure, so the whole table is testable without a server.
 */
final class ResponseClassifier {

    private static final Set<Integer> RETRYABLE_CLIENT_ERRORS = Set.of(408, 425, 429);
    private static final Pattern URL_PATH = Pattern.compile("(https?://[^/\\s]+)/\\S*");

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

    /**
     * A failure before a status arrived: retryable, except a refused private target, which asking again would
     * not change.
     */
    static AttemptResult failure(Throwable cause, Duration deadline) {
        PublicOnlySockets.PrivateTargetException refused = Causes.find(cause, PublicOnlySockets.PrivateTargetException.class).orElse(null);
        if (refused != null) {
            return AttemptResult.refused(refused.getMessage());
        }
        return AttemptResult.noResponse(describe(cause, deadline));
    }

    /** The message is built from the type and the client's text, with any URL path (a Make.com token) cut off. */
    static String describe(Throwable cause, Duration deadline) {
        if (cause instanceof HttpConnectTimeoutException
                || (cause instanceof SocketTimeoutException && String.valueOf(cause.getMessage()).startsWith("Connect timed out"))) {
            return "connect timeout";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof InterruptedIOException) {
            // OkHttp's call timeout and read timeout both surface as InterruptedIOException ("timeout").
            return "timeout after " + humanSeconds(deadline);
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof InterruptedException) {
            return "interrupted";
        }
        String message = cause.getMessage() == null ? "" : ": " + URL_PATH.matcher(cause.getMessage()).replaceAll("$1/…");
        String kind = cause instanceof SSLException ? "TLS error" : cause instanceof IOException ? "I/O error" : "unexpected error";
        return kind + " (" + cause.getClass().getSimpleName() + message + ")";
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
