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

    /** The variables' defaults (see {@link SinkVariables}). */
    public static final CircuitSettings DEFAULT = new CircuitSettings(SinkVariables.CIRCUIT_WINDOW.defaultValue().orElseThrow(),
            SinkVariables.CIRCUIT_FAILURE_RATE.defaultValue().orElseThrow(), SinkVariables.CIRCUIT_PROBE_INTERVAL.defaultValue().orElseThrow());

    public CircuitSettings {
        SinkVariables.CIRCUIT_WINDOW.check(window);
        SinkVariables.CIRCUIT_FAILURE_RATE.check(failureRatePercent);
        SinkVariables.CIRCUIT_PROBE_INTERVAL.check(probeInterval);
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
