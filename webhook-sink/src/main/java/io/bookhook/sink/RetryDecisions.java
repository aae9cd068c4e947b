package io.bookhook.sink;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@link RetrySchedule} as a resilience4j {@link Retry}: it counts attempts, decides from each result whether
 * another one is due, and computes the wait (exponential with jitter, at least the clamped {@code Retry-After}).
 * The sink uses its non-blocking context and does the waiting itself, so a wait can be cut short when the sink
 * closes or loses the partition, and the partition can be paused meanwhile.
 */
final class RetryDecisions {

    private final Retry retry;

    RetryDecisions(RetrySchedule schedule) {
        IntervalFunction backoff = schedule.jitter() == 0.0
                ? IntervalFunction.ofExponentialBackoff(schedule.firstInterval(), schedule.multiplier(), schedule.maxInterval())
                : IntervalFunction.ofExponentialRandomBackoff(schedule.firstInterval(), schedule.multiplier(), schedule.jitter(),
                        schedule.maxInterval());
        long capMillis = schedule.maxInterval().toMillis();
        long retryAfterCapMillis = schedule.maxRetryAfter().toMillis();
        RetryConfig config = RetryConfig.<AttemptResult>custom()
                .maxAttempts(schedule.maxAttempts())
                .retryOnResult(result -> result.verdict() == Verdict.RETRYABLE)
                .failAfterMaxAttempts(false)
                .intervalBiFunction((Integer attempt, io.github.resilience4j.core.functions.Either<Throwable, AttemptResult> outcome) -> {
                    long wait = Math.min(backoff.apply(attempt), capMillis);
                    AttemptResult result = outcome.isRight() ? outcome.get() : null;
                    if (result != null && result.retryAfter() != null) {
                        wait = Math.max(wait, Math.min(result.retryAfter().toMillis(), retryAfterCapMillis));
                    }
                    return wait;
                })
                .build();
        this.retry = Retry.of("webhook-delivery", config);
    }

    /** A fresh count for one delivery. */
    Delivery start() {
        return new Delivery(retry.asyncContext());
    }

    /** The decisions for one delivery; not shared between threads. */
    static final class Delivery {
        private final Retry.AsyncContext<AttemptResult> context;

        private Delivery(Retry.AsyncContext<AttemptResult> context) {
            this.context = context;
        }

        /** The wait before the next attempt, or empty when {@code result} is the delivery's last word. */
        Optional<Duration> after(AttemptResult result) {
            long wait = context.onResult(result);
            if (wait < 0) {
                context.onComplete();
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(wait));
        }
    }
}
