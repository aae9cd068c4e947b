package io.bookhook.sink;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * When an endpoint's circuit opens and how it probes: it opens when at least {@code failureRatePercent} of its last
 * {@code window} attempts failed for the endpoint's sake (no connection, timeout, 5xx, 408, 429); while open no
 * delivery is attempted, and every {@code probeInterval} one delivery goes out as a probe; a successful probe closes it.
 */
public record CircuitSettings(int window, int failureRatePercent, Duration probeInterval) {

    public static final CircuitSettings DEFAULT = new CircuitSettings(20, 50, Duration.ofSeconds(5));

    public CircuitSettings {
        if (window < 1 || window > 10_000) {
            throw new IllegalArgumentException(SinkVariables.CIRCUIT_WINDOW + " must be 1–10000 attempts, was " + window);
        }
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException(SinkVariables.CIRCUIT_FAILURE_RATE + " must be 1–100 percent, was " + failureRatePercent);
        }
        if (probeInterval == null || probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException(SinkVariables.CIRCUIT_PROBE_INTERVAL + " must be a positive duration, was " + probeInterval);
        }
    }

    CircuitBreaker breaker(String endpoint, Clock clock) {
        return CircuitBreaker.of(endpoint, CircuitBreakerConfig.custom()
                .slidingWindow(window, window, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(failureRatePercent)
                .waitDurationInOpenState(probeInterval)
                .permittedNumberOfCallsInHalfOpenState(1)
                // Never ignore a result: every attempt is recorded as a success or a failure by the engine itself.
                .recordException(failure -> true)
                .clock(clock)
                .build());
    }
}
