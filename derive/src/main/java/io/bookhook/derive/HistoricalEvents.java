package io.bookhook.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events derive would have emitted for an appointment row had it streamed the row's insert: {@code bookhook
 * backfill} builds them with derive's own rules and assembler, so keys, payload and masking are the stream's. The row is
 * taken as inserted with the status it has now: {@code created} for a pending or confirmed row, then {@code confirmed}
 * for a confirmed one; any other status derives nothing, as an insert with it would not.
 */
public final class HistoricalEvents {

    private final TableMapping mapping;
    private final DeriveRules rules;
    private final EventAssembler assembler;

    public HistoricalEvents(TableMapping mapping) {
        this.mapping = mapping;
        this.rules = new DeriveRules(mapping.pendingStatus(), mapping.confirmedStatus());
        this.assembler = new EventAssembler(mapping);
    }

    /**
     * In order (created before confirmed). Related rows not found are null and named in {@code missing}, as derive
     * sends them once its grace time ran out. A row derive would dead-letter (no usable id, no status, a mapped column
     * missing) is refused with the reason.
     */
    public List<AppointmentEvent> of(ObjectNode row, Instant occurredAt, RelatedRows related) {
        JsonNode id = row.get(mapping.appointmentIdColumn());
        if (id == null || id.isNull() || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank() || id.asText().contains(":")) {
            throw new IllegalArgumentException("appointment " + mapping.appointmentIdColumn() + " " + id
                    + " cannot be part of an idempotency key (an integer or a string, non-blank, free of ':')");
        }
        List<String> absent = mapping.requiredAppointmentColumns().stream().filter(column -> !row.has(column)).toList();
        if (!absent.isEmpty()) {
            throw new IllegalArgumentException("appointment " + id.asText() + "'s row has no column " + String.join(", ", absent));
        }
        JsonNode status = row.get(mapping.statusColumn());
        if (status == null || status.isNull()) {
            throw new IllegalArgumentException("appointment " + id.asText() + " has a null " + mapping.statusColumn());
        }
        DeriveRules.Outcome outcome = rules.apply(RawChange.Operation.CREATE, status.asText(), Set.of());
        List<AppointmentEvent> events = new ArrayList<>(outcome.emit().size());
        for (EventType type : outcome.emit()) {
            events.add(assembler.assemble(new PendingEvent(type, occurredAt, row, 0, 0), related, true)
                    .orElseThrow(() -> new IllegalStateException("an event whose grace ran out is always assembled")));
        }
        return events;
    }
}
