package io.bookhook.sink;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try again: a pure function of the attempt number and its result, so the schedule is data and
 * testable without waiting. Exponential from {@code firstBackoff}; a longer {@code Retry-After} wins, but
 * no single wait exceeds {@code maxBackoff}, because the sink holds its partition while it waits.
 * (The resilience work replaces this with resilience4j, jitter and partition pausing.)
 */
record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    static RetryPolicy from(SinkSettings settings) {
        return new RetryPolicy(settings.maxAttempts(), settings.firstBackoff(), DEFAULT_MAX_BACKOFF);
    }

    /** The wait before attempt {@code attempt + 1}, or empty when {@code attempt} was the last one. */
    Optional<Duration> delayAfter(int attempt, AttemptResult result) {
        if (result.verdict() != Verdict.RETRYABLE || attempt >= maxAttempts) {
            return Optional.empty();
        }
        Duration backoff = exponential(attempt);
        if (result.retryAfter() != null && result.retryAfter().compareTo(backoff) > 0) {
            backoff = result.retryAfter();
        }
        return Optional.of(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
    }

    private Duration exponential(int attempt) {
        // Capped shift: 2^30 times any sensible first backoff is already past maxBackoff.
        int doublings = Math.min(attempt - 1, 30);
        long millis = firstBackoff.toMillis();
        return millis > (maxBackoff.toMillis() >> doublings) ? maxBackoff : Duration.ofMillis(millis << doublings);
    }
}
