package io.bookhook.sink;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One endpoint as the engine works it: deliveries ready to go in the order they became ready, how many are in flight
 * (never more than the endpoint's {@code maxInFlight}), how many it holds in all, and its circuit breaker.
 */
final class EndpointQueue {

    /** What the endpoint's own failure looks like, for the circuit breaker; never thrown. */
    static final class EndpointFailure extends Exception {
        EndpointFailure(String what) {
            super(what, null, false, false);
        }
    }

    final Endpoint endpoint;
    final CircuitBreaker circuit;
    final TokenBucket rate;
    final ArrayDeque<Delivery> ready = new ArrayDeque<>();
    int inFlight;
    /** Deliveries not yet final held in memory, in flight included. */
    int held;
    /** Paused by an operator: nothing is attempted, not even a probe, until resumed. */
    boolean paused;
    /** The last attempt that did not deliver, and when, for operators. */
    String lastError;
    java.time.Instant lastErrorAt;
    /** Partitions of which some of this endpoint's waiting deliveries are in the delivery index only, to be read back in order. */
    final java.util.Set<Integer> spilled = new java.util.HashSet<>();

    EndpointQueue(Endpoint endpoint, CircuitBreaker circuit, TokenBucket rate) {
        this.endpoint = endpoint;
        this.circuit = circuit;
        this.rate = rate;
    }

    String name() {
        return endpoint.name();
    }

    boolean hasSlot() {
        return inFlight < endpoint.maxInFlight();
    }

    /** Paused, or its circuit is not closed: its deliveries may wait long. */
    boolean unavailable() {
        return paused || circuit.getState() != CircuitBreaker.State.CLOSED;
    }

    /**
     * Records one attempt's result for the circuit: no answer, a timeout, 5xx, 408 and 429 say the endpoint is in
     * trouble; any other answer (a 4xx about one payload included) says it is up. A refusal to connect to a private
     * address says nothing about the endpoint and is not counted.
     */
    void record(AttemptResult result, Duration took) {
        Integer status = result.statusCode();
        if (status == null && result.verdict() != Verdict.RETRYABLE) {
            circuit.releasePermission();
            return;
        }
        boolean endpointTrouble = status == null || status >= 500 || status == 408 || status == 429;
        if (endpointTrouble) {
            circuit.onError(took.toNanos(), TimeUnit.NANOSECONDS, new EndpointFailure(result.describe()));
        } else {
            circuit.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
