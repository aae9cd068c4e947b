package io.bookhook.schemas;

import java.util.Objects;

/**
 * The key a receiver deduplicates on: {@code appointment:{id}:{event_type}}. It is the Kafka key of
 * every appointment event and travels unchanged through retries, replays and resends.
 */
public record IdempotencyKey(String appointmentId, EventType eventType) {

    private static final String PREFIX = "appointment:";

    public IdempotencyKey {
        Objects.requireNonNull(appointmentId, "appointmentId");
        Objects.requireNonNull(eventType, "eventType");
        if (appointmentId.isBlank() || appointmentId.contains(":")) {
            throw new IllegalArgumentException("appointment id must be non-blank and free of ':', got '" + appointmentId + "'");
        }
    }

    public static IdempotencyKey of(Object appointmentId, EventType eventType) {
        return new IdempotencyKey(String.valueOf(appointmentId), eventType);
    }

    public static IdempotencyKey parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an idempotency key (expected appointment:{id}:{event_type}): " + key);
        }
        int lastColon = key.lastIndexOf(':');
        if (lastColon <= PREFIX.length()) {
            throw new IllegalArgumentException("not an idempotency key (expected appointment:{id}:{event_type}): " + key);
        }
        return new IdempotencyKey(key.substring(PREFIX.length(), lastColon), EventType.fromWireName(key.substring(lastColon + 1)));
    }

    @Override
    public String toString() {
        return PREFIX + appointmentId + ":" + eventType.wireName();
    }
}
