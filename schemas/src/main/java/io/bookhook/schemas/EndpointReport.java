package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one sink instance says of one endpoint, every few seconds: the value of the compacted
 * {@code bookhook.endpoint-status}, keyed {@code endpoint|instance}. Operators' tools add up the reports that are fresh.
 *
 * @param target   scheme, host and port of the endpoint's URL (its path, often a token, is left out)
 * @param events   event types it receives; empty: all
 * @param salons   salon ids it receives; empty: all
 * @param circuit  closed, open, half_open or forced_open
 * @param waiting  deliveries not yet final and not in flight, held in memory
 * @param spilled  some of its waiting deliveries are in the delivery index only, read back as it drains
 */
@JsonPropertyOrder({"endpoint", "instance", "target", "events", "salons", "circuit", "paused", "in_flight", "waiting", "spilled",
        "last_error", "last_error_at", "reported_at"})
public record EndpointReport(
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("instance") String instance,
        @JsonProperty("target") String target,
        @JsonProperty("events") List<String> events,
        @JsonProperty("salons") List<String> salons,
        @JsonProperty("circuit") String circuit,
        @JsonProperty("paused") boolean paused,
        @JsonProperty("in_flight") int inFlight,
        @JsonProperty("waiting") int waiting,
        @JsonProperty("spilled") boolean spilled,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("last_error_at") Instant lastErrorAt,
        @JsonProperty("reported_at") Instant reportedAt) {

    public EndpointReport {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(circuit, "circuit");
        Objects.requireNonNull(reportedAt, "reported_at");
        events = events == null ? List.of() : List.copyOf(events);
        salons = salons == null ? List.of() : List.copyOf(salons);
    }

    /** The key on {@code bookhook.endpoint-status}: one report per endpoint and instance. */
    public String kafkaKey() {
        return endpoint + "|" + instance;
    }
}
