package io.bookhook.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventType;
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
            parts.put(relation.part(), row == null ? null : masked(row, relation.table()));
        }
        if (!missing.isEmpty() && !graceExpired) {
            return Optional.empty();
        }
        JsonNode appointmentId = appointment.get(mapping.appointmentIdColumn());
        return Optional.of(new AppointmentEvent(pending.eventType(),
                IdempotencyKey.of(appointmentId.asText(), pending.eventType()).toString(), pending.occurredAt(), appointmentId.deepCopy(),
                status(pending), masked(appointment, mapping.appointmentTable()), parts.get("customer"), parts.get("salon"),
                parts.get("stylist"), parts.get("service"), missing));
    }

    /**
     * The appointment's status in bookhook's words. Derive emits only for rows whose status is the app's pending or
     * confirmed value; should a row say neither, the event type says which it stood for.
     */
    private String status(PendingEvent pending) {
        JsonNode raw = pending.appointment().get(mapping.statusColumn());
        String value = raw == null || raw.isNull() ? null : raw.asText();
        if (mapping.confirmedStatus().equals(value)) {
            return AppointmentEvent.CONFIRMED;
        }
        if (mapping.pendingStatus().equals(value)) {
            return AppointmentEvent.PENDING;
        }
        return pending.eventType() == EventType.CONFIRMED ? AppointmentEvent.CONFIRMED : AppointmentEvent.PENDING;
    }

    /** The row with its table's phone column masked. */
    private ObjectNode masked(ObjectNode row, String table) {
        String column = mapping.phoneColumnOf(table);
        JsonNode phone = row.get(column);
        if (phone == null || !phone.isTextual()) {
            return row;
        }
        ObjectNode copy = row.deepCopy();
        copy.put(column, PhoneMasker.mask(phone.asText()));
        return copy;
    }
}
