package io.bookhook.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * An appointment row as derive accepts it: an id that can be part of an idempotency key, every column the table
 * mapping needs, and a status; anything else is a {@link BadChangeException} saying what is wrong.
 */
record AppointmentRow(String id, String status, ObjectNode row) {

    static AppointmentRow of(ObjectNode changed, TableMapping mapping) throws BadChangeException {
        String id = textOf(changed, mapping.appointmentIdColumn());
        if (id == null) {
            throw new BadChangeException("appointment row has no " + mapping.appointmentIdColumn());
        }
        if (id.isBlank() || id.contains(":")) {
            throw new BadChangeException("appointment " + mapping.appointmentIdColumn() + " '" + id + "' cannot be part of an idempotency key"
                    + " (appointment:{id}:{event_type}): it must be non-blank and free of ':'");
        }
        JsonNode idValue = changed.get(mapping.appointmentIdColumn());
        if (!idValue.isTextual() && !idValue.isIntegralNumber()) {
            // The payload's id is an integer or a string (the event schema): a numeric key with a fraction is neither.
            throw new BadChangeException("appointment " + mapping.appointmentIdColumn() + " " + id + " is a " + idValue.getNodeType().name()
                    .toLowerCase(Locale.ROOT) + (idValue.isNumber() ? " with a fraction" : "")
                    + ": an appointment id must be an integer or a string");
        }
        List<String> absent = mapping.requiredAppointmentColumns().stream().filter(column -> !changed.has(column)).toList();
        if (!absent.isEmpty()) {
            // A null is a value (no stylist); an absent column is a schema change: dropped or renamed in Postgres.
            throw new BadChangeException.MissingColumns("appointment " + id + "'s row has no column " + String.join(", ", absent)
                    + " (dropped or renamed in " + mapping.appointmentTable() + "?): the table mapping needs it");
        }
        String status = textOf(changed, mapping.statusColumn());
        if (status == null) {
            throw new BadChangeException("appointment " + id + " has a null " + mapping.statusColumn());
        }
        return new AppointmentRow(id, status, changed);
    }

    /** The appointment id of a row, as text; null when it has none. */
    static String idOf(ObjectNode row, TableMapping mapping) {
        return textOf(row, mapping.appointmentIdColumn());
    }

    private static String textOf(ObjectNode row, String column) {
        JsonNode value = row.get(column);
        return value == null || value.isNull() ? null : value.asText();
    }
}
