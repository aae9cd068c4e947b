package io.bookhook.sink;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@link RetrySchedule} as a pure function of how many attempts a delivery has had and what the last one got:
 * exponential with jitter (resilience4j's {@link IntervalFunction}), each wait capped, and at least the clamped
 * {@code Retry-After}. Nothing here counts or remembers: the attempt count is the delivery's own and is kept in the
 * delivery index, so a restarted sink continues a schedule where it was.
 */
final class RetryPlan {

    private final RetrySchedule schedule;
    private final IntervalFunction backoff;

    RetryPlan(RetrySchedule schedule) {
        this.schedule = schedule;
        this.backoff = schedule.jitter() == 0.0
                ? IntervalFunction.ofExponentialBackoff(schedule.firstInterval(), schedule.multiplier(), schedule.maxInterval())
                : IntervalFunction.ofExponentialRandomBackoff(schedule.firstInterval(), schedule.multiplier(), schedule.jitter(),
                        schedule.maxInterval());
    }

    /** The wait before attempt {@code attemptsMade + 1}, or empty when {@code last} is the delivery's last word. */
    Optional<Duration> next(int attemptsMade, AttemptResult last) {
        if (last.verdict() != Verdict.RETRYABLE || attemptsMade >= schedule.maxAttempts()) {
            return Optional.empty();
        }
        long wait = Math.min(backoff.apply(Math.max(1, attemptsMade)), schedule.maxInterval().toMillis());
        if (last.retryAfter() != null) {
            wait = Math.max(wait, Math.min(last.retryAfter().toMillis(), schedule.maxRetryAfter().toMillis()));
        }
        return Optional.of(Duration.ofMillis(wait));
    }
}
