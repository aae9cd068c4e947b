package io.bookhook.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void formats_as_appointment_id_event_type() {
        assertThat(IdempotencyKey.of(42L, EventType.CREATED)).hasToString("appointment:42:created");
        assertThat(IdempotencyKey.of("42", EventType.CONFIRMED)).hasToString("appointment:42:confirmed");
    }

    @Test
    void parses_what_it_formats() {
        IdempotencyKey key = IdempotencyKey.parse("appointment:9001:confirmed");
        assertThat(key.appointmentId()).isEqualTo("9001");
        assertThat(key.eventType()).isEqualTo(EventType.CONFIRMED);
        assertThat(IdempotencyKey.parse(key.toString())).isEqualTo(key);
    }

    @Test
    void the_same_appointment_and_type_always_give_the_same_key() {
        assertThat(IdempotencyKey.of(7, EventType.CREATED)).isEqualTo(IdempotencyKey.parse("appointment:7:created"));
    }

    @Test
    void rejects_keys_of_another_shape() {
        assertThatThrownBy(() -> IdempotencyKey.parse("booking:1:created")).hasMessageContaining("appointment:{id}:{event_type}");
        assertThatThrownBy(() -> IdempotencyKey.parse("appointment::created")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKey.parse("appointment:1:cancelled")).hasMessageContaining("unknown event type 'cancelled'");
        assertThatThrownBy(() -> IdempotencyKey.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKey.of("a:b", EventType.CREATED)).isInstanceOf(IllegalArgumentException.class);
    }
}
