package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoricalEventsTest {

    private static final Instant BOOKED = Instant.parse("2026-03-01T09:00:00Z");
    private final HistoricalEvents events = new HistoricalEvents(TableMapping.referenceSchema());
    private final Map<String, ObjectNode> rows = Map.of(
            "appointments_customer/10", ChangeEvents.customer(10, "0912-345-678"),
            "appointments_salon/20", ChangeEvents.salon(20));
    private final RelatedRows related = (table, id) -> rows.get(table + "/" + id);

    @Test
    void a_pending_row_derives_created_and_a_confirmed_one_created_then_confirmed_as_an_insert_would() {
        assertThat(events.of(ChangeEvents.appointment(1, "pending"), BOOKED, related)).extracting(AppointmentEvent::idempotencyKey)
                .containsExactly("appointment:1:created");
        assertThat(events.of(ChangeEvents.appointment(2, "confirmed"), BOOKED, related)).extracting(AppointmentEvent::idempotencyKey)
                .containsExactly("appointment:2:created", "appointment:2:confirmed");
        assertThat(events.of(ChangeEvents.appointment(3, "cancelled"), BOOKED, related)).isEmpty();
    }

    @Test
    void the_event_is_the_one_derive_assembles_masked_with_absent_related_rows_named_missing() {
        List<AppointmentEvent> built = events.of(ChangeEvents.appointment(1, "pending"), BOOKED, related);

        AppointmentEvent created = built.get(0);
        assertThat(created.eventType()).isEqualTo(EventType.CREATED);
        assertThat(created.occurredAt()).isEqualTo(BOOKED);
        assertThat(created.appointmentId().asLong()).isEqualTo(1);
        assertThat(created.status()).isEqualTo(AppointmentEvent.PENDING);
        assertThat(created.customer().get("phone").asText()).isNotEqualTo("0912-345-678").endsWith("678");
        assertThat(created.salon()).isNotNull();
        assertThat(created.missing()).containsExactly("stylist", "service");
        assertThat(created.stylist()).isNull();
    }

    @Test
    void a_row_derive_would_dead_letter_is_refused() {
        ObjectNode colon = ChangeEvents.appointment(1, "pending").put("id", "a:b");
        ObjectNode noStatus = ChangeEvents.appointment(2, "pending");
        noStatus.putNull("status");
        assertThatThrownBy(() -> events.of(colon, BOOKED, related)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.of(noStatus, BOOKED, related)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestamptz_text_is_debeziums_with_the_columns_fraction_digits() {
        Instant at = Instant.parse("2026-12-03T14:00:00.120Z");
        assertThat(CapturedRowJson.zoned(at, 6)).isEqualTo("2026-12-03T14:00:00.120000Z");
        assertThat(CapturedRowJson.zoned(at, 0)).isEqualTo("2026-12-03T14:00:00Z");
    }
}
