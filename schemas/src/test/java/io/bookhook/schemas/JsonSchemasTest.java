package io.bookhook.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    private static final ObjectMapper MAPPER = Json.mapper();

    @Test
    void the_documented_webhook_payload_example_conforms() throws Exception {
        JsonNode example = MAPPER.readTree(Files.readString(Path.of("..", "docs", "webhook-payload-example.json")));
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(example)).isEmpty();
    }

    @Test
    void a_serialised_event_conforms_and_reads_back_equal() throws Exception {
        AppointmentEvent event = new AppointmentEvent(EventType.CREATED, "appointment:5:created", Instant.parse("2026-11-28T10:00:00Z"),
                row("id", 5, "status", "pending"), row("id", 2, "phone", "0912***4567"), null, null, null,
                List.of("salon", "stylist", "service"));
        byte[] bytes = JsonSerde.of(AppointmentEvent.class).serializer().serialize("t", event);

        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(MAPPER.readTree(bytes))).isEmpty();
        assertThat(JsonSerde.of(AppointmentEvent.class).deserializer().deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void an_event_without_appointment_or_with_an_unmasked_phone_violates_the_schema() throws Exception {
        ObjectNode example = (ObjectNode) MAPPER.readTree(Files.readString(Path.of("..", "docs", "webhook-payload-example.json")));
        ObjectNode unmasked = example.deepCopy();
        ((ObjectNode) unmasked.get("customer")).put("phone", "0912345678");
        ObjectNode noAppointment = example.deepCopy();
        noAppointment.remove("appointment");

        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(unmasked)).singleElement().asString().contains("phone");
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(noAppointment)).singleElement().asString().contains("appointment");
    }

    @Test
    void a_ledger_record_conforms() throws Exception {
        DeliveryRecord record = DeliveryRecord.pending("d-1", IdempotencyKey.of(5, EventType.CREATED), DeliveryReason.EVENT,
                row("event_type", "created"), Instant.parse("2026-11-28T10:00:00Z"))
                .next(DeliveryStatus.DELIVERED, 1, 200, null, "ok", Instant.parse("2026-11-28T10:00:01Z"));
        byte[] bytes = JsonSerde.of(DeliveryRecord.class).serializer().serialize("t", record);

        assertThat(JsonSchemas.DELIVERY_RECORD.violations(MAPPER.readTree(bytes))).isEmpty();
        assertThat(JsonSerde.of(DeliveryRecord.class).deserializer().deserialize("t", bytes)).isEqualTo(record);
    }

    private static ObjectNode row(Object... pairs) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], MAPPER.valueToTree(pairs[i + 1]));
        }
        return node;
    }
}
