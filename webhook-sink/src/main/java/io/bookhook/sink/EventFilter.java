package io.bookhook.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.EventType;
import java.util.Set;

/**
 * Which events an endpoint receives: by event type, and by salon, read from the appointment row's salon column (the
 * mapped column name, as derive wrote it) or else from the salon row's id. An event without a salon id matches no
 * salon filter. Empty sets match everything.
 */
public record EventFilter(Set<EventType> events, Set<String> salons, String salonIdColumn) {

    static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), "salon_id");

    public EventFilter {
        events = Set.copyOf(events);
        salons = Set.copyOf(salons);
    }

    public boolean accepts(EventType type, JsonNode payload) {
        if (!events.isEmpty() && !events.contains(type)) {
            return false;
        }
        if (salons.isEmpty()) {
            return true;
        }
        String salon = salonOf(payload);
        return salon != null && salons.contains(salon);
    }

    private String salonOf(JsonNode payload) {
        JsonNode fromAppointment = payload.path("appointment").path(salonIdColumn);
        if (fromAppointment.isValueNode() && !fromAppointment.isNull()) {
            return fromAppointment.asText();
        }
        JsonNode fromSalon = payload.path("salon").path("id");
        return fromSalon.isValueNode() && !fromSalon.isNull() ? fromSalon.asText() : null;
    }
}
