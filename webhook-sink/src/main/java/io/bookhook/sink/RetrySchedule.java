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

    /** The schedule of the variables' defaults (see {@link SinkVariables}): about 80 minutes of retries. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(SinkVariables.RETRY_FIRST_INTERVAL.defaultValue().orElseThrow(),
            SinkVariables.RETRY_MULTIPLIER.defaultValue().orElseThrow(), SinkVariables.RETRY_MAX_INTERVAL.defaultValue().orElseThrow(),
            SinkVariables.RETRY_MAX_ATTEMPTS.defaultValue().orElseThrow(), SinkVariables.RETRY_JITTER.defaultValue().orElseThrow(),
            SinkVariables.RETRY_AFTER_MAX.defaultValue().orElseThrow());

    public RetrySchedule {
        SinkVariables.RETRY_FIRST_INTERVAL.check(firstInterval);
        SinkVariables.RETRY_MAX_INTERVAL.check(maxInterval);
        SinkVariables.RETRY_AFTER_MAX.check(maxRetryAfter);
        SinkVariables.RETRY_MULTIPLIER.check(multiplier);
        SinkVariables.RETRY_MAX_ATTEMPTS.check(maxAttempts);
        SinkVariables.RETRY_JITTER.check(jitter);
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
}
