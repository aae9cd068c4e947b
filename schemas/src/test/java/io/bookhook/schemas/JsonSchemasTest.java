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
    void an_event_of_a_mapped_schema_conforms_through_its_own_appointment_id_and_status() throws Exception {
        ObjectNode mapped = (ObjectNode) MAPPER.readTree("{\"event_type\":\"confirmed\",\"idempotency_key\":\"appointment:B-7:confirmed\","
                + "\"occurred_at\":\"2026-11-28T10:00:00Z\",\"appointment_id\":\"B-7\",\"status\":\"confirmed\","
                + "\"appointment\":{\"booking_no\":\"B-7\",\"state\":\"OK\",\"client_ref\":3},"
                + "\"customer\":{\"client_no\":3,\"mobile\":\"0912***4567\"},\"salon\":null,\"stylist\":null,\"service\":null,"
                + "\"missing\":[\"salon\",\"stylist\",\"service\"]}");
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(mapped)).isEmpty();

        ObjectNode withoutOwnFields = mapped.deepCopy();
        withoutOwnFields.remove(List.of("appointment_id", "status"));
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(withoutOwnFields)).as("neither branch: no appointment_id, no appointment.id")
                .isNotEmpty();
        ObjectNode appsOwnStatus = mapped.deepCopy().put("status", "OK");
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(appsOwnStatus)).as("status is in bookhook's words").isNotEmpty();
        ObjectNode fractionalId = mapped.deepCopy().put("appointment_id", 7.5);
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(fractionalId)).isNotEmpty();
    }

    @Test
    void an_event_written_before_appointment_id_and_status_existed_still_conforms() throws Exception {
        ObjectNode legacy = (ObjectNode) MAPPER.readTree(Files.readString(Path.of("..", "docs", "webhook-payload-example.json")));
        legacy.remove(List.of("appointment_id", "status"));
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(legacy)).isEmpty();

        AppointmentEvent read = MAPPER.treeToValue(legacy, AppointmentEvent.class);
        assertThat(read.appointmentId()).isNull();
        assertThat(read.status()).isNull();
    }

    @Test
    void the_reference_constructor_reads_the_normalised_fields_from_the_row() {
        AppointmentEvent event = new AppointmentEvent(EventType.CONFIRMED, "appointment:5:confirmed", Instant.parse("2026-11-28T10:00:00Z"),
                row("id", 5, "status", "confirmed"), null, null, null, null, List.of());
        assertThat(event.appointmentId().asInt()).isEqualTo(5);
        assertThat(event.status()).isEqualTo("confirmed");
        assertThat(MAPPER.valueToTree(event).toString()).startsWith("{\"event_type\":\"confirmed\",\"idempotency_key\":\"appointment:5:confirmed\","
                + "\"occurred_at\":\"2026-11-28T10:00:00Z\",\"appointment_id\":5,\"status\":\"confirmed\",\"appointment\":{");
    }

    @Test
    void a_ledger_record_conforms() throws Exception {
        DeliveryRecord pending = DeliveryRecord.pending("d-1", "make", IdempotencyKey.of(5, EventType.CREATED), DeliveryReason.EVENT,
                row("event_type", "created"), Instant.parse("2026-11-28T10:00:00Z"));
        DeliveryRecord retrying = pending.next(DeliveryStatus.RETRYING, 1, Instant.parse("2026-11-28T10:00:06Z"), 503, "HTTP 503", "busy",
                Instant.parse("2026-11-28T10:00:01Z"));
        DeliveryRecord delivered = retrying.next(DeliveryStatus.DELIVERED, 2, 200, null, "ok", Instant.parse("2026-11-28T10:00:07Z"));

        for (DeliveryRecord record : java.util.List.of(pending, retrying, delivered)) {
            byte[] bytes = JsonSerde.of(DeliveryRecord.class).serializer().serialize("t", record);
            assertThat(JsonSchemas.DELIVERY_RECORD.violations(MAPPER.readTree(bytes))).isEmpty();
            assertThat(JsonSerde.of(DeliveryRecord.class).deserializer().deserialize("t", bytes)).isEqualTo(record);
        }
        assertThat(retrying.endpoint()).isEqualTo("make");
        assertThat(retrying.nextAttemptAt()).isEqualTo(Instant.parse("2026-11-28T10:00:06Z"));
        assertThat(delivered.nextAttemptAt()).as("set only while retrying").isNull();
    }

    @Test
    void a_ledger_record_written_before_endpoints_existed_still_reads() {
        byte[] old = ("{\"delivery_id\":\"d-0\",\"idempotency_key\":\"appointment:5:created\",\"event_type\":\"created\","
                + "\"appointment_id\":\"5\",\"status\":\"delivered\",\"attempts\":1,\"reason\":\"event\","
                + "\"created_at\":\"2026-11-28T10:00:00Z\",\"updated_at\":\"2026-11-28T10:00:01Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        DeliveryRecord record = JsonSerde.of(DeliveryRecord.class).deserializer().deserialize("t", old);

        assertThat(record.endpoint()).isNull();
        assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void endpoint_control_and_report_records_conform() {
        EndpointControl control = new EndpointControl("crm", true, "r-1", Instant.parse("2026-12-02T10:00:00Z"));
        EndpointReport report = new EndpointReport("crm", "sink-1", "https://crm.example.com", java.util.List.of("created"),
                java.util.List.of("7"), "open", false, 0, 120, true, "connection refused", Instant.parse("2026-12-02T10:00:01Z"),
                Instant.parse("2026-12-02T10:00:02Z"));

        byte[] controlBytes = JsonSerde.of(EndpointControl.class).serializer().serialize("t", control);
        byte[] reportBytes = JsonSerde.of(EndpointReport.class).serializer().serialize("t", report);
        assertThat(JsonSchemas.ENDPOINT_CONTROL.violations(readTree(controlBytes))).isEmpty();
        assertThat(JsonSchemas.ENDPOINT_REPORT.violations(readTree(reportBytes))).isEmpty();
        assertThat(JsonSerde.of(EndpointReport.class).deserializer().deserialize("t", reportBytes)).isEqualTo(report);
        assertThat(report.kafkaKey()).isEqualTo("crm|sink-1");
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode row(Object... pairs) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], MAPPER.valueToTree(pairs[i + 1]));
        }
        return node;
    }
}
