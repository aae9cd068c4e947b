package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Debezium change envelopes (JSON converter, schemas disabled) as capture writes them to the raw topics. */
final class ChangeEvents {

    static final Instant COMMIT = Instant.parse("2026-11-28T09:00:00Z");

    private ChangeEvents() {
    }

    static byte[] key(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] change(String op, ObjectNode after) {
        return change(op, after, COMMIT);
    }

    static byte[] change(String op, ObjectNode after, Instant commit) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putNull("before");
        envelope.set("after", after);
        envelope.putObject("source").put("ts_ms", commit.toEpochMilli()).put("table", "t").put("snapshot", op.equals("r") ? "true" : "false");
        envelope.put("op", op);
        envelope.put("ts_ms", commit.toEpochMilli() + 5);
        return envelope.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A delete as Debezium writes it with the default replica identity: the key columns before, nothing after. */
    static byte[] delete(long id) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putObject("before").put("id", id);
        envelope.putNull("after");
        envelope.putObject("source").put("ts_ms", COMMIT.toEpochMilli()).put("table", "t").put("snapshot", "false");
        envelope.put("op", "d");
        envelope.put("ts_ms", COMMIT.toEpochMilli() + 5);
        return envelope.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode appointment(long id, String status) {
        return Json.mapper().createObjectNode().put("id", id).put("customer_id", 10).put("salon_id", 20).put("stylist_id", 30)
                .put("service_id", 40).put("starts_at", "2026-12-01T10:00:00Z").put("ends_at", "2026-12-01T10:45:00Z")
                .put("status", status).put("notes", "window seat").put("created_at", "2026-11-28T09:00:00Z")
                .put("updated_at", "2026-11-28T09:00:00Z");
    }

    static ObjectNode customer(long id, String phone) {
        return Json.mapper().createObjectNode().put("id", id).put("name", "Mei").put("phone", phone).put("email", "mei@example.com");
    }

    static ObjectNode salon(long id) {
        return Json.mapper().createObjectNode().put("id", id).put("name", "Studio").put("address", "1 Road").put("phone", "02-2345-6789");
    }

    static ObjectNode stylist(long id) {
        return Json.mapper().createObjectNode().put("id", id).put("salon_id", 20).put("name", "Ana").put("phone", "0955 123 456");
    }

    static ObjectNode service(long id) {
        return Json.mapper().createObjectNode().put("id", id).put("salon_id", 20).put("name", "Cut").put("duration_minutes", 45).put("price", "42.00");
    }
}
