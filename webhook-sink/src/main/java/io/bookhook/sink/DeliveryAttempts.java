package io.bookhook.sink;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one delivery until it is delivered, fails for good, or the policy gives up. The one place that
 * decides about retrying, so it can be swapped for the resilience4j version without touching the loop.
 */
final class DeliveryAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempts.class);

    /** Waits between attempts; throws when the sink is closing so the delivery is abandoned, not recorded. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final WebhookPoster poster;
    private final RetryPolicy policy;
    private final Pause pause;

    DeliveryAttempts(WebhookPoster poster, RetryPolicy policy, Pause pause) {
        this.poster = poster;
        this.policy = policy;
        this.pause = pause;
    }

    DeliveryOutcome deliver(WebhookRequest first) throws InterruptedException {
        WebhookRequest request = first;
        while (true) {
            AttemptResult result = poster.post(request);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted during attempt " + request.attempt());
            }
            Optional<Duration> delay = policy.delayAfter(request.attempt(), result);
            if (delay.isEmpty()) {
                return new DeliveryOutcome(request.attempt(), result);
            }
            LOG.info("delivery {} ({}) attempt {} got {}; retrying in {} ms", request.deliveryId(),
                    request.idempotencyKey(), request.attempt(), describe(result), delay.get().toMillis());
            pause.sleep(delay.get());
            request = request.withAttempt(request.attempt() + 1);
        }
    }

    static String describe(AttemptResult result) {
        return result.statusCode() != null ? "HTTP " + result.statusCode() : result.error();
    }
}
