package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a delivery exists: the event itself, or an operator's retry, resend or replay. */
public enum DeliveryReason {
    EVENT,
    RETRY,
    RESEND,
    REPLAY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeliveryReason fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
