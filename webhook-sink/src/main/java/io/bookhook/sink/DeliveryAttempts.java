package io.bookhook.sink;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one delivery until it is delivered, fails for good, or the schedule gives up. The retry decisions are
 * resilience4j's ({@link RetryDecisions}); the waiting is the lane's, so it can end early when the lane stops.
 */
final class DeliveryAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempts.class);

    /** How a lane waits; throws when it is stopping, so the delivery is abandoned, never half-recorded. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws DeliveryAbandoned;
    }

    /** Told about each attempt that will be retried, so the ledger can say {@code retrying}. */
    @FunctionalInterface
    interface RetryListener {
        void retrying(int attempt, AttemptResult result, Duration wait);
    }

    private final WebhookPoster poster;
    private final RetryDecisions decisions;
    private final EndpointHold hold;
    private final SinkMetrics metrics;

    DeliveryAttempts(WebhookPoster poster, RetryDecisions decisions, EndpointHold hold) {
        this(poster, decisions, hold, new SinkMetrics());
    }

    DeliveryAttempts(WebhookPoster poster, RetryDecisions decisions, EndpointHold hold, SinkMetrics metrics) {
        this.poster = poster;
        this.decisions = decisions;
        this.hold = hold;
        this.metrics = metrics;
    }

    private AttemptResult post(WebhookRequest request) {
        long start = System.nanoTime();
        AttemptResult result = poster.post(request);
        metrics.attempt(result.verdict(), Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    DeliveryOutcome deliver(WebhookRequest first, RetryListener listener, Pause pause) throws DeliveryAbandoned {
        RetryDecisions.Delivery schedule = decisions.start();
        WebhookRequest request = first;
        while (true) {
            awaitEndpoint(pause);
            AttemptResult result = post(request);
            if (result.gone()) {
                hold.gone();
                LOG.warn("receiver answered 410 Gone to {}: holding all deliveries for {}", request.deliveryId(), hold.length());
                return new DeliveryOutcome(request.attempt(), result.withError("endpoint gone (410): the receiver paused or removed it; "
                        + "deliveries held for " + hold.length() + ", this one stays retryable"));
            }
            Optional<Duration> wait = schedule.after(result);
            if (wait.isEmpty()) {
                return new DeliveryOutcome(request.attempt(), result);
            }
            LOG.info("delivery {} ({}) attempt {} got {}; retrying in {} ms", request.deliveryId(), request.idempotencyKey(),
                    request.attempt(), result.describe(), wait.get().toMillis());
            listener.retrying(request.attempt(), result, wait.get());
            pause.sleep(wait.get());
            request = request.withAttempt(request.attempt() + 1);
        }
    }

    /** One manual attempt (an operator's retry): it neither starts nor restarts a backoff schedule. */
    DeliveryOutcome attemptOnce(WebhookRequest request, Pause pause) throws DeliveryAbandoned {
        awaitEndpoint(pause);
        AttemptResult result = post(request);
        if (result.gone()) {
            hold.gone();
        }
        return new DeliveryOutcome(request.attempt(), result);
    }

    private void awaitEndpoint(Pause pause) throws DeliveryAbandoned {
        Duration held = hold.remaining();
        while (!held.isZero()) {
            pause.sleep(held);
            held = hold.remaining();
        }
    }
}
