package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The business events derived from appointment rows; the wire name is lowercase. */
public enum EventType {
    CREATED,
    CONFIRMED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventType fromWireName(String wireName) {
        for (EventType type : values()) {
            if (type.wireName().equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + wireName + "' (expected created or confirmed)");
    }
}
