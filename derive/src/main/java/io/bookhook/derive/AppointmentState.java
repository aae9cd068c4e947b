package io.bookhook.derive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.EventType;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the topology remembers per appointment: which events were derived (each leaves once), the last row seen, whose
 * values stand in for the columns Postgres did not send with an update, and when derive last saw a change of it
 * ({@code last_seen_ms}, derive's clock; 0 in states from before it was kept), which its retention goes by.
 */
record AppointmentState(@JsonProperty("derived") Set<EventType> derived, @JsonProperty("row") ObjectNode row,
                        @JsonProperty("last_seen_ms") long lastSeenMillis) {

    /**
     * Debezium's stand-in for a TOASTed column an update did not change (default replica identity): it must
     * never reach a receiver as if it were the value.
     */
    static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

    AppointmentState {
        derived = derived == null || derived.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(derived);
    }

    static AppointmentState empty() {
        return new AppointmentState(Set.of(), null, 0);
    }

    /** The changed row with every unavailable column filled from the last row seen, or null where none was seen. */
    ObjectNode complete(ObjectNode changed) {
        ObjectNode completed = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = changed.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isTextual() && UNAVAILABLE_VALUE.equals(field.getValue().asText())) {
                if (completed == null) {
                    completed = changed.deepCopy();
                }
                JsonNode known = row == null ? null : row.get(field.getKey());
                completed.set(field.getKey(), known == null || isUnavailable(known) ? completed.nullNode() : known);
            }
        }
        return completed == null ? changed : completed;
    }

    private static boolean isUnavailable(JsonNode value) {
        return value.isTextual() && UNAVAILABLE_VALUE.equals(value.asText());
    }
}
