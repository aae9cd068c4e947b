package io.bookhook.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a delivery stands. {@code delivered} and {@code skipped} are final; {@code failed} stays retryable. */
public enum DeliveryStatus {
    PENDING,
    RETRYING,
    DELIVERED,
    FAILED,
    SKIPPED;

    /** Delivered, failed or skipped: no sink works on it any more; pending and retrying ones wait for an attempt. */
    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == SKIPPED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeliveryStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
