package io.bookhook.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.PhoneMasker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the webhook payload of a pending event: the appointment with its related rows, phone numbers masked.
 * While the grace time runs, an event whose related rows have not all arrived is not built; once it has run
 * out, the event is built with the absent parts null and named in {@code missing}.
 */
final class EventAssembler {

    private final TableMapping mapping;

    EventAssembler(TableMapping mapping) {
        this.mapping = mapping;
    }

    Optional<AppointmentEvent> assemble(PendingEvent pending, RelatedRows rows, boolean graceExpired) {
        ObjectNode appointment = pending.appointment();
        Map<String, ObjectNode> parts = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (TableMapping.Relation relation : mapping.relations()) {
            JsonNode foreignKey = appointment.get(relation.foreignKeyColumn());
            if (foreignKey == null || foreignKey.isNull()) {
                parts.put(relation.part(), null);
                continue;
            }
            ObjectNode row = rows.find(relation.table(), foreignKey.asText());
            if (row == null) {
                missing.add(relation.part());
            }
            parts.put(relation.part(), row == null ? null : masked(row));
        }
        if (!missing.isEmpty() && !graceExpired) {
            return Optional.empty();
        }
        String appointmentId = appointment.get(mapping.idColumn()).asText();
        return Optional.of(new AppointmentEvent(pending.eventType(), IdempotencyKey.of(appointmentId, pending.eventType()).toString(),
                pending.occurredAt(), masked(appointment), parts.get("customer"), parts.get("salon"), parts.get("stylist"),
                parts.get("service"), missing));
    }

    private ObjectNode masked(ObjectNode row) {
        JsonNode phone = row.get(mapping.phoneColumn());
        if (phone == null || !phone.isTextual()) {
            return row;
        }
        ObjectNode copy = row.deepCopy();
        copy.put(mapping.phoneColumn(), PhoneMasker.mask(phone.asText()));
        return copy;
    }
}
