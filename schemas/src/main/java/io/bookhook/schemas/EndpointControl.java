package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's pause or resume of one endpoint: the value of the compacted {@code bookhook.endpoint-control}, keyed
 * by endpoint name, so the latest word per endpoint is the state every sink instance obeys, now and after a restart.
 */
@JsonPropertyOrder({"endpoint", "paused", "request_id", "requested_at"})
public record EndpointControl(
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("paused") boolean paused,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("requested_at") Instant requestedAt) {

    public EndpointControl {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(requestedAt, "requested_at");
    }
}
