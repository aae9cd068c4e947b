package io.bookhook.mockreceiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/**
 * The one line printed per request, e.g.
 * {@code ✔ created appointment:42:created delivery=d-1 attempt=1 appointment=42 status=pending}.
 * Never throws on odd bodies: a receiver for debugging must describe what it got, not choke on it.
 */
final class EventLine {

    static final String DELIVERED = "✔";
    static final String REFUSED = "✘";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNKNOWN = "?";

    private EventLine() {
    }

    /** {@code verdict} is what happened ("✔", "✘ 401 bad signature", ...). */
    static String describe(String verdict, ReceivedRequest request) {
        JsonNode event = parse(request.body());
        return verdict
                + " " + textOr(event.path("event_type"), request.header("X-Event-Type"))
                + " " + textOr(event.path("idempotency_key"), request.header("X-Idempotency-Key"))
                + " delivery=" + orUnknown(request.header("X-Delivery-Id"))
                + " attempt=" + orUnknown(request.header("X-Delivery-Attempt"))
                + " appointment=" + textOr(firstOf(event.path("appointment_id"), event.path("appointment").path("id")), null)
                + " status=" + textOr(firstOf(event.path("status"), event.path("appointment").path("status")), null);
    }

    /** bookhook's own field, present under any table mapping, else (events from before it existed) the row's column. */
    private static JsonNode firstOf(JsonNode normalised, JsonNode legacy) {
        return normalised.isValueNode() && !normalised.isNull() ? normalised : legacy;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null ? MissingNode.getInstance() : tree;
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static String textOr(JsonNode field, String fallback) {
        return field.isValueNode() && !field.isNull() ? field.asText() : orUnknown(fallback);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
