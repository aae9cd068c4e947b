package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private final ResponseClassifier classifier = new ResponseClassifier(Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "200, DELIVERED", "201, DELIVERED", "202, DELIVERED", "204, DELIVERED", "299, DELIVERED",
            "301, FAILED", "302, FAILED", "307, FAILED", "308, FAILED", "304, FAILED",
            "400, FAILED", "401, FAILED", "403, FAILED", "404, FAILED", "409, FAILED", "410, FAILED", "413, FAILED",
            "422, FAILED", "499, FAILED",
            "408, RETRYABLE", "425, RETRYABLE", "429, RETRYABLE",
            "500, RETRYABLE", "502, RETRYABLE", "503, RETRYABLE", "504, RETRYABLE", "599, RETRYABLE",
            "100, FAILED", "600, FAILED"})
    void classifies_status_codes(int status, Verdict expected) {
        assertThat(ResponseClassifier.verdictFor(status)).isEqualTo(expected);
        assertThat(classifier.response(status, null, null).verdict()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\" -> {1} s")
    @CsvSource(delimiter = '|', value = {
            "7                             | 7",
            "0                             | 0",
            " 120                          | 120",
            "Sat, 28 Nov 2026 10:00:30 GMT | 30",
            "Sat, 28 Nov 2026 09:59:00 GMT | 0"})
    void reads_retry_after_as_seconds_or_http_date(String header, long expectedSeconds) {
        assertThat(classifier.retryAfter(header)).isEqualTo(Duration.ofSeconds(expectedSeconds));
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\" is ignored")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {"NULL", "''", "soon", "-5", "1.5", "99999999999999999999999"})
    void ignores_missing_or_unreadable_retry_after(String header) {
        assertThat(classifier.retryAfter(header)).isNull();
    }

    @Test
    void keeps_retry_after_and_excerpt_of_a_response() {
        AttemptResult result = classifier.response(429, "7", "slow down");

        assertThat(result).isEqualTo(new AttemptResult(429, null, "slow down", Verdict.RETRYABLE, Duration.ofSeconds(7)));
    }

    @Test
    void every_failure_without_a_response_is_retryable_with_a_readable_error() {
        Duration deadline = Duration.ofSeconds(15);

        assertThat(ResponseClassifier.failure(new ConnectException(), deadline))
                .isEqualTo(AttemptResult.noResponse("connection refused"));
        assertThat(ResponseClassifier.failure(new TimeoutException(), deadline).error()).isEqualTo("timeout after 15 s");
        assertThat(ResponseClassifier.failure(new TimeoutException(), Duration.ofMillis(300)).error())
                .isEqualTo("timeout after 300 ms");
        assertThat(ResponseClassifier.failure(new HttpTimeoutException("request timed out"), deadline).error())
                .isEqualTo("timeout after 15 s");
        assertThat(ResponseClassifier.failure(new HttpConnectTimeoutException("HTTP connect timed out"), deadline).error())
                .isEqualTo("connect timeout");
        assertThat(ResponseClassifier.failure(new SocketException("Connection reset"), deadline).error())
                .isEqualTo("I/O error (SocketException: Connection reset)");
        assertThat(ResponseClassifier.failure(new IOException(), deadline).error()).isEqualTo("I/O error (IOException)");
        assertThat(ResponseClassifier.failure(new SocketException("Connection reset"), deadline).verdict())
                .isEqualTo(Verdict.RETRYABLE);
    }
}
