package io.bookhook.sink;

import io.bookhook.schemas.DeliveryStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an attempt's result does: it counts for its endpoint's circuit (an endpoint that recovers gets its waiting
 * retries at once), and its delivery is delivered, failed, held while the endpoint is gone, or scheduled for a retry
 * by the retry plan.
 */
final class AttemptOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptOutcomes.class);

    private final EndpointQueues endpoints;
    private final DueQueue due;
    private final DeliveryTransitions transitions;
    private final OwnedPartitions partitions;
    private final RetryPlan retry;
    private final Duration goneHold;
    private final Clock clock;
    private final SinkMetrics metrics;

    AttemptOutcomes(EndpointQueues endpoints, DueQueue due, DeliveryTransitions transitions, OwnedPartitions partitions, RetryPlan retry,
                    Duration goneHold, Clock clock, SinkMetrics metrics) {
        this.endpoints = endpoints;
        this.due = due;
        this.transitions = transitions;
        this.partitions = partitions;
        this.retry = retry;
        this.goneHold = goneHold;
        this.clock = clock;
        this.metrics = metrics;
    }

    void completed(DeliveryEngine.Attempt attempt, AttemptResult result, Duration took) {
        Delivery d = attempt.delivery();
        EndpointQueue endpoint = endpoints.of(d);
        endpoint.inFlight--;
        CircuitBreaker.State before = endpoint.circuit.getState();
        endpoint.record(result, took);
        metrics.attempt(endpoint.name(), result.verdict(), took);
        if (before != CircuitBreaker.State.CLOSED && endpoint.circuit.getState() == CircuitBreaker.State.CLOSED) {
            bringForward(endpoint);
        }
        if (d.state != Delivery.State.IN_FLIGHT) {
            return;
        }
        d.attempts = attempt.request().attempt();
        d.last = result;
        Instant now = clock.instant();
        if (result.verdict() != Verdict.DELIVERED) {
            endpoint.lastError = result.describe();
            endpoint.lastErrorAt = now;
        }
        if (result.verdict() == Verdict.DELIVERED) {
            metrics.delivered(endpoint.name(), d.payload, d.derivedAtMillis);
            LOG.debug("delivered {} to {} as {} after {} attempt(s)", d.key, d.endpoint, d.id, d.attempts);
            transitions.finish(d, DeliveryStatus.DELIVERED);
        } else if (result.gone()) {
            endpoint.circuit.transitionToOpenStateUntil(now.plus(goneHold));
            LOG.warn("endpoint {} answered 410 Gone to {}: holding its deliveries for {}", endpoint.name(), d.id, goneHold);
            d.last = result.withError("endpoint gone (410): the receiver paused or removed it; deliveries held for " + goneHold
                    + ", this one stays retryable");
            transitions.finish(d, DeliveryStatus.FAILED);
        } else if (d.singleAttempt || result.verdict() == Verdict.FAILED) {
            fail(d);
        } else {
            Optional<Duration> wait = retry.next(d.attempts, result);
            if (wait.isEmpty()) {
                fail(d);
                return;
            }
            LOG.info("delivery {} ({} to {}) attempt {} got {}; retrying in {} ms", d.id, d.key, d.endpoint, d.attempts, result.describe(),
                    wait.get().toMillis());
            transitions.retryAt(d, now.plus(wait.get()), now);
            if (!partitions.owns(d.partition)) {
                // Its partition is leaving: the waiting state is durable now and the next owner resumes it.
                transitions.drop(d);
            }
        }
    }

    private void fail(Delivery d) {
        LOG.warn("failed {} to {} as {} after {} attempt(s): {}", d.key, d.endpoint, d.id, d.attempts, d.last.describe());
        transitions.finish(d, DeliveryStatus.FAILED);
    }

    /** An endpoint that recovered gets its waiting retries now: they waited for the endpoint, not for their payload. */
    private void bringForward(EndpointQueue endpoint) {
        int moved = due.bringForward(endpoint.name(), clock.instant());
        if (moved > 0) {
            LOG.info("endpoint {} answers again: {} waiting retries go now", endpoint.name(), moved);
        }
    }
}
