package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a delivery exists: the event itself, or an operator's retry, resend, replay or backfill. */
public enum DeliveryReason {
    EVENT,
    RETRY,
    RESEND,
    REPLAY,
    /** An event {@code bookhook backfill} derived from rows committed before capture ran (or during a gap). */
    BACKFILL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeliveryReason fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
