package io.bookhook.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.PipelineLatency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What an operator watches on a sink, labelled by endpoint: how long each attempt takes by outcome, how long an event
 * takes from its commit in Postgres to a receiver's 2xx, dead letters, and each endpoint's circuit, in-flight and
 * waiting deliveries. Registered in Micrometer's global registry, which each stage process connects to its
 * Prometheus endpoint.
 */
final class SinkMetrics {

    private static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open", "forced_open");

    /**
     * What the gauges read: one view per process (a registry takes a gauge once), which the latest sink to publish
     * fills; a process runs one sink, tests and the demo may run several one after another.
     */
    private static final Map<MeterRegistry, Map<String, DeliveryEngine.EndpointStatus>> STATUS = new ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final Counter deadLetters;
    private final Map<String, Timer> commitToDelivery = new ConcurrentHashMap<>();
    private final Map<String, Timer> attempts = new ConcurrentHashMap<>();
    private final Map<String, DeliveryEngine.EndpointStatus> status;
    private final Timer derivedToDelivered;

    SinkMetrics() {
        this(Metrics.globalRegistry);
    }

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.status = STATUS.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
        this.deadLetters = Counter.builder("bookhook.dead.letters").tag("stage", "sink").tag("reason", "unreadable")
                .description("Records the sink could not read, sent to the dead-letter topic").register(registry);
        // The last span of bookhook_pipeline_latency_seconds; derive records commit_to_captured and captured_to_derived.
        this.derivedToDelivered = PipelineLatency.timer(registry, PipelineLatency.DERIVED_TO_DELIVERED,
                "From derive emitting the event to the receiver's 2xx (the sink's read, queue and attempts)");
    }

    /** Registers the per-endpoint gauges (once per registry), which read what {@link #endpoints} last published. */
    void register(String endpoint) {
        if (registry.find("bookhook.endpoint.in.flight").tag("endpoint", endpoint).gauge() != null) {
            return;
        }
        gauge("bookhook.endpoint.in.flight", endpoint, "Requests to the endpoint in flight now", s -> s.inFlight());
        gauge("bookhook.endpoint.waiting", endpoint, "Deliveries to the endpoint not yet final and not in flight", s -> s.waiting());
        for (String state : CIRCUIT_STATES) {
            Gauge.builder("bookhook.endpoint.circuit.state", status, all -> {
                        DeliveryEngine.EndpointStatus s = all.get(endpoint);
                        return s != null && s.circuit().name().toLowerCase(Locale.ROOT).equals(state) ? 1 : 0;
                    })
                    .tag("endpoint", endpoint).tag("state", state)
                    .description("1 for the endpoint's current circuit state").register(registry);
        }
    }

    private void gauge(String name, String endpoint, String description, ToDoubleFunction<DeliveryEngine.EndpointStatus> value) {
        Gauge.builder(name, status, all -> {
            DeliveryEngine.EndpointStatus s = all.get(endpoint);
            return s == null ? 0 : value.applyAsDouble(s);
        }).tag("endpoint", endpoint).description(description).register(registry);
    }

    /** The engine's latest view of its endpoints; gauges read it from the scrape thread. */
    void endpoints(List<DeliveryEngine.EndpointStatus> latest) {
        latest.forEach(s -> status.put(s.endpoint(), s));
    }

    void attempt(String endpoint, Verdict verdict, Duration took) {
        attempts.computeIfAbsent(endpoint + "/" + verdict, key -> Timer.builder("bookhook.delivery.attempt").tag("endpoint", endpoint)
                .tag("outcome", verdict.name().toLowerCase(Locale.ROOT))
                .description("One HTTP attempt, connect to the end of the bounded response read").register(registry)).record(took);
    }

    /**
     * A 2xx: commit→delivery per endpoint (from the payload's {@code occurred_at}), and the pipeline's last span,
     * derived→delivered (from the event's {@code bookhook.derived-at} header; 0 when it had none).
     */
    void delivered(String endpoint, JsonNode payload, long derivedAtMillis) {
        long now = System.currentTimeMillis();
        if (derivedAtMillis > 0) {
            derivedToDelivered.record(Math.max(0, now - derivedAtMillis), TimeUnit.MILLISECONDS);
        }
        JsonNode occurredAt = payload == null ? null : payload.get("occurred_at");
        if (occurredAt == null || !occurredAt.isTextual()) {
            return;
        }
        try {
            long since = now - Instant.parse(occurredAt.asText()).toEpochMilli();
            if (since >= 0) {
                commitToDelivery.computeIfAbsent(endpoint, e -> Timer.builder("bookhook.delivery.commit.to.delivery").tag("endpoint", e)
                        .description("From the change's commit in Postgres to the receiver's 2xx").register(registry))
                        .record(since, TimeUnit.MILLISECONDS);
            }
        } catch (DateTimeParseException unreadable) {
            // Not a time this sink wrote; nothing to measure.
        }
    }

    void deadLettered() {
        deadLetters.increment();
    }

    /** Committed outcomes: bookhook_sink_deliveries_total{endpoint, outcome}. */
    void committed(CommitBatch.Outcomes outcomes) {
        outcomes.byEndpoint().forEach((endpoint, counts) -> {
            add(endpoint, "delivered", counts[CommitBatch.Outcomes.DELIVERED]);
            add(endpoint, "failed", counts[CommitBatch.Outcomes.FAILED]);
            add(endpoint, "skipped", counts[CommitBatch.Outcomes.SKIPPED]);
        });
        if (outcomes.deadLettered() > 0) {
            Counter.builder("bookhook.sink.deliveries").tag("endpoint", "none").tag("outcome", "dead_lettered").register(registry)
                    .increment(outcomes.deadLettered());
        }
    }

    private void add(String endpoint, String outcome, int count) {
        if (count > 0) {
            Counter.builder("bookhook.sink.deliveries").tag("endpoint", endpoint).tag("outcome", outcome)
                    .description("Deliveries settled, counted once their ledger records committed").register(registry).increment(count);
        }
    }
}
