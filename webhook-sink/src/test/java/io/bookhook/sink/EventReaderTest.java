package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventReaderTest {

    @Test
    void reads_an_event_and_keeps_its_tree_as_the_payload() {
        String json = """
                {"event_type":"confirmed","idempotency_key":"appointment:8:confirmed","occurred_at":"2026-11-28T10:00:00Z",\
                "appointment":{"id":8},"customer":null,"salon":null,"stylist":null,"service":null,"missing":["customer"],\
                "extra_field":"kept"}""";

        EventReader.Valid valid = (EventReader.Valid) EventReader.read(json.getBytes(UTF_8));

        assertThat(valid.key()).isEqualTo(IdempotencyKey.of(8, EventType.CONFIRMED));
        assertThat(valid.event().missing()).containsExactly("customer");
        assertThat(valid.payload().path("extra_field").asText()).isEqualTo("kept");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                       | empty value",
            "{not json                                | not JSON:",
            "[1,2]                                    | not a JSON object",
            "42                                       | not a JSON object",
            "{\"event_type\":\"created\"}              | not an appointment event: idempotency_key",
            "{\"event_type\":\"moved\",\"idempotency_key\":\"appointment:1:created\",\"occurred_at\":\"2026-11-28T10:00:00Z\",\"appointment\":{}} | not an appointment event: unknown event type 'moved'",
            "{\"event_type\":\"created\",\"idempotency_key\":\"order:1\",\"occurred_at\":\"2026-11-28T10:00:00Z\",\"appointment\":{}} | not an appointment event: not an idempotency key"})
    void names_what_is_wrong_with_a_record_that_is_not_an_event(String value, String reasonStart) {
        EventReader.Read read = EventReader.read(value.getBytes(UTF_8));

        assertThat(read).isInstanceOf(EventReader.Invalid.class);
        assertThat(((EventReader.Invalid) read).reason()).startsWith(reasonStart).hasSizeLessThanOrEqualTo(201);
    }

    @Test
    void a_tombstone_is_not_an_event() {
        assertThat(EventReader.read(null)).isEqualTo(new EventReader.Invalid("empty value"));
    }
}
