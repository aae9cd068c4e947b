package io.bookhook.app.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bookhook.app.bench.LatencyLog.EventKind;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.time.Instant;

/** What the bench's receiver reads of a webhook: its body's {@code occurred_at} and its headers; never throws on bad input. */
final class WebhookFields {

    private static final String KEY_PREFIX = "appointment:";
    private static final JsonFactory JSON = Json.mapper().getFactory();

    private WebhookFields() {
    }

    /** The body's {@code occurred_at} in epoch ms, read with a streaming parser that stops there. */
    static long occurredAt(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return LatencyLog.UNKNOWN_TIME;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("occurred_at".equals(name) && value == JsonToken.VALUE_STRING) {
                    return Instant.parse(parser.getText()).toEpochMilli();
                }
                parser.skipChildren();
            }
            return LatencyLog.UNKNOWN_TIME;
        } catch (IOException | RuntimeException unreadable) {
            return LatencyLog.UNKNOWN_TIME;
        }
    }

    /** The appointment id of an idempotency key {@code appointment:<id>:<event>}; {@link LatencyLog#UNKNOWN_ID} when not numeric. */
    static long appointmentId(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return LatencyLog.UNKNOWN_ID;
        }
        int lastColon = key.lastIndexOf(':');
        try {
            return lastColon <= KEY_PREFIX.length() ? LatencyLog.UNKNOWN_ID : Long.parseLong(key.substring(KEY_PREFIX.length(), lastColon));
        } catch (NumberFormatException notNumeric) {
            return LatencyLog.UNKNOWN_ID;
        }
    }

    /** The event of an idempotency key. */
    static EventKind kind(String key) {
        if (key == null) {
            return EventKind.UNKNOWN;
        }
        if (key.endsWith(":created")) {
            return EventKind.CREATED;
        }
        return key.endsWith(":confirmed") ? EventKind.CONFIRMED : EventKind.UNKNOWN;
    }

    /** The attempt number of {@code X-Delivery-Attempt}; 0 when absent or malformed. */
    static int attempt(String header) {
        try {
            return header == null ? 0 : Integer.parseInt(header.strip());
        } catch (NumberFormatException malformed) {
            return 0;
        }
    }
}
