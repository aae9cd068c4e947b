package io.bookhook.sink;

import java.time.Duration;

/**
 * The retry schedule as data: exponential backoff from {@code firstInterval} by {@code multiplier}, each wait
 * capped at {@code maxInterval} and spread by ±{@code jitter} (0–0.99) so many failed deliveries do not return
 * in lock-step; at most {@code maxAttempts} attempts in all. A receiver's {@code Retry-After} is honoured as a
 * minimum wait, clamped to {@code maxRetryAfter} so a receiver cannot hold a delivery back for days.
 */
public record RetrySchedule(Duration firstInterval, double multiplier, Duration maxInterval, int maxAttempts,
                            double jitter, Duration maxRetryAfter) {

    /**
     * Suited to a Make.com scenario that is down for an hour: waits of 5 s, 10 s, 20 s … capped at 10 min, 15
     * attempts, spanning about 80 minutes (at least 64 with the jitter) before a delivery is recorded failed.
     */
    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(10), 15,
            0.2, Duration.ofMinutes(15));

    public RetrySchedule {
        requirePositive(firstInterval, SinkVariables.RETRY_FIRST_INTERVAL);
        requirePositive(maxInterval, SinkVariables.RETRY_MAX_INTERVAL);
        requirePositive(maxRetryAfter, SinkVariables.RETRY_AFTER_MAX);
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new IllegalArgumentException(SinkVariables.RETRY_MULTIPLIER + " must be 1–100, was " + multiplier);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(SinkVariables.RETRY_MAX_ATTEMPTS + " must be >= 1, was " + maxAttempts);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException(SinkVariables.RETRY_JITTER + " must be >= 0 and < 1, was " + jitter);
        }
        if (maxInterval.compareTo(firstInterval) < 0) {
            throw new IllegalArgumentException(SinkVariables.RETRY_MAX_INTERVAL + " (" + maxInterval + ") must not be below "
                    + SinkVariables.RETRY_FIRST_INTERVAL + " (" + firstInterval + ")");
        }
    }

    public RetrySchedule withFirstInterval(Duration value) {
        return new RetrySchedule(value, multiplier, maxInterval, maxAttempts, jitter, maxRetryAfter);
    }

    public RetrySchedule withMultiplier(double value) {
        return new RetrySchedule(firstInterval, value, maxInterval, maxAttempts, jitter, maxRetryAfter);
    }

    public RetrySchedule withMaxInterval(Duration value) {
        return new RetrySchedule(firstInterval, multiplier, value, maxAttempts, jitter, maxRetryAfter);
    }

    public RetrySchedule withMaxAttempts(int value) {
        return new RetrySchedule(firstInterval, multiplier, maxInterval, value, jitter, maxRetryAfter);
    }

    public RetrySchedule withJitter(double value) {
        return new RetrySchedule(firstInterval, multiplier, maxInterval, maxAttempts, value, maxRetryAfter);
    }

    public RetrySchedule withMaxRetryAfter(Duration value) {
        return new RetrySchedule(firstInterval, multiplier, maxInterval, maxAttempts, jitter, value);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
