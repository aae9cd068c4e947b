package io.bookhook.derive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.EventType;
import java.time.Instant;
import java.util.List;

/**
 * A derived event waiting for its related rows, with the appointment row as it was at that commit, and when capture
 * wrote the change ({@code captured_at_ms}: 0 in entries from before it was kept).
 */
record PendingEvent(
        @JsonProperty("event_type") EventType eventType,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("appointment") ObjectNode appointment,
        @JsonProperty("waiting_since_ms") long waitingSinceMillis,
        @JsonProperty("captured_at_ms") long capturedAtMillis) {

    /** The events of one appointment that are waiting, oldest first; they leave in this order. */
    record Queue(@JsonProperty("events") List<PendingEvent> events) {
        Queue {
            events = List.copyOf(events);
        }
    }
}
