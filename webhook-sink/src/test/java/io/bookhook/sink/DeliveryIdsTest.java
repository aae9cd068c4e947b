package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryIdsTest {

    @Test
    void an_events_delivery_id_is_the_same_every_time_it_is_read_and_names_the_endpoint() {
        IdempotencyKey key = IdempotencyKey.of(42, EventType.CREATED);

        assertThat(DeliveryIds.forEvent("make", key))
                .isEqualTo(DeliveryIds.forEvent("make", IdempotencyKey.parse("appointment:42:created")))
                .isEqualTo(UUID.nameUUIDFromBytes("event|make|appointment:42:created".getBytes(UTF_8)).toString())
                .isNotEqualTo(DeliveryIds.forEvent("crm", key));
    }

    @Test
    void different_events_and_operator_resends_get_different_ids() {
        String created = DeliveryIds.forEvent("make", IdempotencyKey.of(42, EventType.CREATED));

        assertThat(DeliveryIds.forEvent("make", IdempotencyKey.of(42, EventType.CONFIRMED))).isNotEqualTo(created);
        assertThat(DeliveryIds.forEvent("make", IdempotencyKey.of(43, EventType.CREATED))).isNotEqualTo(created);
        IdempotencyKey key = IdempotencyKey.of(42, EventType.CREATED);
        assertThat(DeliveryIds.forResend("request-1", "make", key))
                .isEqualTo(DeliveryIds.forResend("request-1", "make", key))
                .isNotEqualTo(DeliveryIds.forResend("request-2", "make", key))
                .isNotEqualTo(DeliveryIds.forResend("request-1", "crm", key))
                .isNotEqualTo(created);
    }
}
