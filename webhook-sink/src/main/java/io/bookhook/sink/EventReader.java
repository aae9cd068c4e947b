package io.bookhook.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;

/** Reads an event record once into both the typed event and the tree kept as the ledger payload. */
final class EventReader {

    private static final int MAX_REASON_CHARS = 200;

    sealed interface Read permits Valid, Invalid {
    }

    record Valid(AppointmentEvent event, IdempotencyKey key, JsonNode payload) implements Read {
    }

    /** {@code reason} says what is wrong in a line an operator can act on. */
    record Invalid(String reason) implements Read {
    }

    private EventReader() {
    }

    static Read read(byte[] value) {
        if (value == null || value.length == 0) {
            return new Invalid("empty value");
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(value);
        } catch (JsonProcessingException e) {
            return new Invalid(shorten("not JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            return new Invalid(shorten("unreadable: " + e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return new Invalid("not a JSON object");
        }
        try {
            AppointmentEvent event = Json.mapper().treeToValue(tree, AppointmentEvent.class);
            return new Valid(event, event.key(), tree);
        } catch (JsonProcessingException e) {
            // getOriginalMessage leaves out Jackson's source excerpt, which would copy customer data into a header.
            return new Invalid(shorten("not an appointment event: " + rootMessage(e)));
        } catch (IllegalArgumentException e) {
            return new Invalid(shorten("not an appointment event: " + e.getMessage()));
        }
    }

    private static String rootMessage(JsonProcessingException e) {
        Throwable cause = e.getCause();
        return cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
    }

    private static String shorten(String reason) {
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "…";
    }
}
