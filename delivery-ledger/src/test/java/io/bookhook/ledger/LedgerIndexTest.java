package io.bookhook.ledger;

import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import org.junit.jupiter.api.Test;

class LedgerIndexTest {

    private final LedgerIndex index = new LedgerIndex();

    @Test
    void should_keep_only_the_latest_record_of_a_delivery_in_every_index() {
        index.apply("d1", failed("d1", "42", EventType.CONFIRMED));
        index.apply("d1", delivered("d1", "42", EventType.CONFIRMED));

        assertThat(index.byDeliveryId("d1")).get().extracting(DeliveryRecord::status).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(index.find(DeliveryStatus.FAILED, null)).isEmpty();
        assertThat(index.find(DeliveryStatus.DELIVERED, "42")).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
        assertThat(index.count(DeliveryStatus.FAILED)).isZero();
        assertThat(index.count(DeliveryStatus.DELIVERED)).isEqualTo(1);
        assertThat(index.byAppointment("42")).hasSize(1);
    }

    @Test
    void should_forget_a_delivery_on_a_tombstone() {
        index.apply("d1", failed("d1", "42", EventType.CREATED));
        index.apply("d1", null);

        assertThat(index.byDeliveryId("d1")).isEmpty();
        assertThat(index.byAppointment("42")).isEmpty();
        assertThat(index.byIdempotencyKey("appointment:42:created")).isEmpty();
        assertThat(index.count(DeliveryStatus.FAILED)).isZero();
        assertThat(index.size()).isZero();
    }

    @Test
    void should_find_every_delivery_under_one_idempotency_key_newest_first() {
        index.apply("event", delivered("event", "42", EventType.CONFIRMED));
        index.apply("resend", failed("resend", "42", EventType.CONFIRMED));
        index.apply("other", failed("other", "42", EventType.CREATED));

        assertThat(index.byIdempotencyKey("appointment:42:confirmed")).extracting(DeliveryRecord::deliveryId)
                .containsExactly("resend", "event");
    }

    @Test
    void should_filter_by_status_and_appointment_together() {
        index.apply("a", failed("a", "1", EventType.CREATED));
        index.apply("b", delivered("b", "1", EventType.CONFIRMED));
        index.apply("c", failed("c", "2", EventType.CREATED));

        assertThat(index.find(DeliveryStatus.FAILED, "1")).extracting(DeliveryRecord::deliveryId).containsExactly("a");
        assertThat(index.find(DeliveryStatus.FAILED, null)).extracting(DeliveryRecord::deliveryId).containsExactlyInAnyOrder("a", "c");
        assertThat(index.find(null, "1")).extracting(DeliveryRecord::deliveryId).containsExactlyInAnyOrder("a", "b");
        assertThat(index.find(null, "3")).isEmpty();
    }

    @Test
    void should_resolve_an_exact_id_or_a_unique_prefix_and_refuse_an_ambiguous_one() {
        index.apply("0b8e1f2a-1111", failed("0b8e1f2a-1111", "1", EventType.CREATED));
        index.apply("0b8e9999-2222", failed("0b8e9999-2222", "2", EventType.CREATED));

        assertThat(index.resolve("0b8e1f2a-1111")).get().extracting(DeliveryRecord::appointmentId).isEqualTo("1");
        assertThat(index.resolve("0b8e1f2a")).get().extracting(DeliveryRecord::appointmentId).isEqualTo("1");
        assertThat(index.resolve("ffff")).isEmpty();
        assertThat(index.resolve("")).isEmpty();
        assertThatThrownBy(() -> index.resolve("0b8e"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.INVALID))
                .hasMessage("'0b8e' matches 2 deliveries; give more of the delivery id");
    }
}
