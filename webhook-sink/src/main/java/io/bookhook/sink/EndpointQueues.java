package io.bookhook.sink;

import io.bookhook.schemas.EndpointReport;
import io.bookhook.schemas.EventType;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's endpoints as the engine works them, each with its circuit breaker (state changes logged for operators)
 * and rate cap, and the share of memory each may hold ({@link #window}).
 */
final class EndpointQueues {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointQueues.class);

    private final Map<String, EndpointQueue> byName = new LinkedHashMap<>();
    private final int maxBuffered;

    /** {@code maxBuffered}: deliveries held in memory in all; with several endpoints, each gets a share of it. */
    EndpointQueues(List<Endpoint> endpoints, CircuitSettings circuit, Clock clock, int maxBuffered) {
        for (Endpoint endpoint : endpoints) {
            CircuitBreaker breaker = circuit.breaker(endpoint.name(), clock);
            breaker.getEventPublisher().onStateTransition(event -> LOG.warn("endpoint {}: circuit {} ({})", endpoint.name(),
                    event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT), describe(event.getStateTransition())));
            byName.put(endpoint.name(), new EndpointQueue(endpoint, breaker, new TokenBucket(endpoint.ratePerSecond(), clock.instant())));
        }
        this.maxBuffered = maxBuffered;
    }

    private static String describe(CircuitBreaker.StateTransition transition) {
        return switch (transition.getToState()) {
            case OPEN -> "most recent attempts failed: deliveries wait without spending attempts, one probe per interval";
            case HALF_OPEN -> "sending one probe";
            case CLOSED -> "the endpoint answers again: waiting deliveries go now";
            default -> transition.toString();
        };
    }

    /** The endpoint named so; null when this sink does not have it. */
    EndpointQueue get(String name) {
        return byName.get(name);
    }

    EndpointQueue of(Delivery d) {
        return byName.get(d.endpoint);
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    Collection<EndpointQueue> all() {
        return byName.values();
    }

    /**
     * The deliveries an endpoint holds in memory before it spills: with one endpoint, everything up to the sink's bound
     * (then the sink pauses its partitions, and the events topic is the queue); with several, a share each, so one that
     * is down or slow never stops the sink from reading events for the others.
     */
    int window(EndpointQueue endpoint) {
        return byName.size() == 1 ? Integer.MAX_VALUE
                : Math.max(2 * endpoint.endpoint.maxInFlight(), maxBuffered / byName.size());
    }

    /** How many more deliveries {@code endpoint} may hold before it spills. */
    int room(EndpointQueue endpoint) {
        return window(endpoint) - endpoint.held;
    }

    /** An operator paused or resumed an endpoint (unknown names are ignored: another sink's endpoint, or a typo). */
    void setPaused(String endpoint, boolean paused) {
        EndpointQueue queue = byName.get(endpoint);
        if (queue != null && queue.paused != paused) {
            queue.paused = paused;
            LOG.warn("endpoint {} {} by an operator{}", endpoint, paused ? "paused" : "resumed",
                    paused ? ": its deliveries wait, nothing is attempted" : ": what waited goes now");
        }
    }

    /** Each endpoint's state as instance {@code instance} sees it at {@code now}, for {@code bookhook.endpoint-status}. */
    List<EndpointReport> reports(String instance, Instant now) {
        return byName.values().stream().map(e -> new EndpointReport(e.name(), instance, e.endpoint.target(),
                e.endpoint.filter().events().stream().map(EventType::wireName).sorted().toList(),
                e.endpoint.filter().salons().stream().sorted().toList(), e.circuit.getState().name().toLowerCase(Locale.ROOT),
                e.paused, e.inFlight, e.held - e.inFlight, !e.spilled.isEmpty(), e.lastError, e.lastErrorAt, now)).toList();
    }

    List<DeliveryEngine.EndpointStatus> status() {
        return byName.values().stream()
                .map(e -> new DeliveryEngine.EndpointStatus(e.name(), e.circuit.getState(), e.inFlight, e.held - e.inFlight)).toList();
    }
}
