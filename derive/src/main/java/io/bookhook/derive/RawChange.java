package io.bookhook.derive;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.time.Instant;

/**
 * The parts of a Debezium change envelope the topology relies on: the operation, the row after the change,
 * and the commit time. The row before the change is deliberately not used: with Postgres' default replica
 * identity it is null on updates.
 */
record RawChange(Operation op, ObjectNode after, ObjectNode before, Instant commitTime) {

    enum Operation {
        CREATE, UPDATE, DELETE, SNAPSHOT_READ, TRUNCATE, MESSAGE;

        static Operation of(String code) throws BadChangeException {
            return switch (code) {
                case "c" -> CREATE;
                case "u" -> UPDATE;
                case "d" -> DELETE;
                case "r" -> SNAPSHOT_READ;
                case "t" -> TRUNCATE;
                case "m" -> MESSAGE;
                default -> throw new BadChangeException("unknown change operation '" + code + "'");
            };
        }
    }

    static RawChange parse(byte[] value) throws BadChangeException {
        JsonNode envelope;
        try {
            envelope = Json.mapper().readTree(value);
        } catch (JacksonException e) {
            throw new BadChangeException("change event is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadChangeException("change event cannot be read: " + e.getMessage(), e);
        }
        if (envelope == null || !envelope.isObject()) {
            throw new BadChangeException("change event is not a JSON object");
        }
        JsonNode op = envelope.get("op");
        if (op == null || !op.isTextual()) {
            throw new BadChangeException("change event has no 'op'");
        }
        JsonNode source = envelope.path("source");
        long commitMillis = source.path("ts_ms").asLong(envelope.path("ts_ms").asLong(0));
        if (commitMillis <= 0) {
            throw new BadChangeException("change event has no commit time (source.ts_ms)");
        }
        return new RawChange(Operation.of(op.asText()), objectOrNull(envelope.get("after")), objectOrNull(envelope.get("before")),
                Instant.ofEpochMilli(commitMillis));
    }

    private static ObjectNode objectOrNull(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }
}
