package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's on-disk copy of the delivery index: latest entry per delivery, waiting deliveries by partition, positions. */
class DeliveryIndexTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void keeps_the_latest_entry_lists_waiting_deliveries_by_partition_and_remembers_how_far_it_read() {
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            assertThat(index.position(0)).isEqualTo(-1);
            index.apply(0, List.of(entry("a", DeliveryStatus.RETRYING, "{\"a\":1}"), entry("b", DeliveryStatus.PENDING, "{\"b\":1}")), 5);
            index.apply(1, List.of(entry("c", DeliveryStatus.RETRYING, "{\"c\":1}")), 3);
            index.apply(0, List.of(entry("a", DeliveryStatus.DELIVERED, null)), 9);

            assertThat(index.get("a")).hasValueSatisfying(a -> {
                assertThat(a.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(a.body()).isNull();
            });
            assertThat(index.get("nope")).isEmpty();
            assertThat(index.waiting(0)).extracting(IndexEntry::deliveryId).containsExactly("b");
            assertThat(index.waiting(0).get(0).body()).isEqualTo("{\"b\":1}".getBytes(UTF_8));
            assertThat(index.waiting(1)).extracting(IndexEntry::deliveryId).containsExactly("c");
            assertThat(index.position(0)).isEqualTo(9);
            assertThat(index.position(1)).isEqualTo(3);
        }
    }

    @Test
    void reads_whether_a_serialized_entry_waits_from_its_status_alone() {
        var json = io.bookhook.schemas.JsonSerde.of(IndexEntry.class).serializer();

        assertThat(IndexEntry.isWaiting(json.serialize("t", entry("a", DeliveryStatus.RETRYING, "{}")))).isTrue();
        assertThat(IndexEntry.isWaiting(json.serialize("t", entry("a", DeliveryStatus.PENDING, "{}")))).isTrue();
        assertThat(IndexEntry.isWaiting(json.serialize("t", entry("a", DeliveryStatus.DELIVERED, null)))).isFalse();
        assertThat(IndexEntry.isWaiting("{\"body\":{\"x\":[1,2]},\"status\":\"failed\"}".getBytes(UTF_8))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IndexEntry.isWaiting("[1]".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survives_a_reopen() {
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            index.apply(2, List.of(entry("d", DeliveryStatus.RETRYING, "{}")), 7);
        }
        try (DeliveryIndex reopened = DeliveryIndex.open(dir)) {
            assertThat(reopened.position(2)).isEqualTo(7);
            assertThat(reopened.waiting(2)).extracting(IndexEntry::deliveryId).containsExactly("d");
        }
    }

    private static IndexEntry entry(String id, DeliveryStatus status, String body) {
        return new IndexEntry(id, "make", "appointment:1:created", status, 1, status == DeliveryStatus.RETRYING ? T.plusSeconds(5) : null,
                DeliveryReason.EVENT, false, T, body == null ? null : body.getBytes(UTF_8));
    }
}
