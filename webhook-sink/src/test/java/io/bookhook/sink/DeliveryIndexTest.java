package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.JsonSerde;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's on-disk copy of the delivery index: latest entry per delivery, waiting ones in order by endpoint and partition, positions. */
class DeliveryIndexTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void keeps_the_latest_entry_lists_waiting_deliveries_oldest_first_by_endpoint_and_partition_and_remembers_how_far_it_read() {
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            assertThat(index.position(0)).isEqualTo(-1);
            index.apply(0, List.of(entry("late", "make", "appointment:2:created", T.plusSeconds(5), DeliveryStatus.PENDING, "{\"l\":1}"),
                    entry("a", "make", "appointment:1:confirmed", T, DeliveryStatus.RETRYING, "{\"a\":1}"),
                    entry("b", "make", "appointment:1:created", T, DeliveryStatus.PENDING, "{\"b\":1}"),
                    entry("crm", "crm", "appointment:1:created", T, DeliveryStatus.PENDING, "{}")), 5);
            index.apply(1, List.of(entry("c", "make", "appointment:3:created", T, DeliveryStatus.RETRYING, "{\"c\":1}")), 3);
            index.apply(0, List.of(entry("a", "make", "appointment:1:confirmed", T, DeliveryStatus.DELIVERED, null)), 9);

            assertThat(index.get("a")).hasValueSatisfying(a -> {
                assertThat(a.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(a.body()).isNull();
            });
            assertThat(index.get("nope")).isEmpty();
            assertThat(index.waiting("make", 0, 10, id -> false)).extracting(IndexEntry::deliveryId).containsExactly("b", "late");
            assertThat(index.waiting("make", 0, 10, id -> false).get(0).body()).isEqualTo("{\"b\":1}".getBytes(UTF_8));
            assertThat(index.waiting("make", 0, 1, id -> false)).extracting(IndexEntry::deliveryId).containsExactly("b");
            assertThat(index.waiting("make", 0, 10, "b"::equals)).extracting(IndexEntry::deliveryId).containsExactly("late");
            assertThat(index.waiting("crm", 0, 10, id -> false)).extracting(IndexEntry::deliveryId).containsExactly("crm");
            assertThat(index.waiting("make", 1, 10, id -> false)).extracting(IndexEntry::deliveryId).containsExactly("c");
            assertThat(index.position(0)).isEqualTo(9);
            assertThat(index.position(1)).isEqualTo(3);
        }
    }

    @Test
    void reads_the_order_fields_of_a_serialized_entry_without_the_rest() {
        var json = JsonSerde.of(IndexEntry.class).serializer();

        IndexEntry.Order waiting = IndexEntry.orderOf(json.serialize("t", entry("a", "crm", "appointment:1:confirmed", T, DeliveryStatus.RETRYING, "{}")));
        assertThat(waiting).isEqualTo(new IndexEntry.Order("crm", true, T.toEpochMilli(), 1));
        assertThat(IndexEntry.orderOf(json.serialize("t", entry("a", "make", "appointment:1:created", T, DeliveryStatus.DELIVERED, null))).waiting())
                .isFalse();
        assertThatThrownBy(() -> IndexEntry.orderOf("[1]".getBytes(UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexEntry.orderOf("{\"status\":\"failed\"}".getBytes(UTF_8))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survives_a_reopen() {
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            index.apply(2, List.of(entry("d", "make", "appointment:4:created", T, DeliveryStatus.RETRYING, "{}")), 7);
        }
        try (DeliveryIndex reopened = DeliveryIndex.open(dir)) {
            assertThat(reopened.position(2)).isEqualTo(7);
            assertThat(reopened.waiting("make", 2, 10, id -> false)).extracting(IndexEntry::deliveryId).containsExactly("d");
        }
    }

    private static IndexEntry entry(String id, String endpoint, String key, Instant created, DeliveryStatus status, String body) {
        return new IndexEntry(id, endpoint, key, status, 1, status == DeliveryStatus.RETRYING ? T.plusSeconds(5) : null,
                DeliveryReason.EVENT, false, created, body == null ? null : body.getBytes(UTF_8));
    }
}
