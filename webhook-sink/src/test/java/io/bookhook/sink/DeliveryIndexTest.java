package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's on-disk copy of the delivery index: latest entry per delivery, waiting ones in order by endpoint and partition,
 * final ones whose ledger payload ages out by since when, positions.
 */
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
        assertThat(waiting).isEqualTo(new IndexEntry.Order("crm", true, T.toEpochMilli(), 1, 0));
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

    @Test
    void finds_final_deliveries_whose_ledger_kept_the_payload_since_before_a_cutoff_longest_first_and_drops_those_that_moved_on() {
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            IndexEntry old = finalEntry("old", "appointment:1:created", T);
            IndexEntry recent = finalEntry("recent", "appointment:2:created", T.plusSeconds(10));
            index.apply(0, List.of(recent, old, entry("no-copy", "make", "appointment:3:created", T, DeliveryStatus.DELIVERED, null)), 3);
            index.apply(1, List.of(finalEntry("elsewhere", "appointment:4:created", T)), 1);

            assertThat(index.payloadsKeptBefore(0, T, 10)).as("kept since exactly the cutoff: not before it").isEmpty();
            assertThat(index.payloadsKeptBefore(0, T.plusSeconds(5), 10)).containsExactly(old);
            assertThat(index.payloadsKeptBefore(0, T.plusSeconds(11), 10)).extracting(IndexEntry::deliveryId).containsExactly("old", "recent");
            assertThat(index.payloadsKeptBefore(0, T.plusSeconds(11), 1)).extracting(IndexEntry::deliveryId).containsExactly("old");
            assertThat(index.payloadsKeptBefore(1, T.plusSeconds(11), 10)).extracting(IndexEntry::deliveryId).containsExactly("elsewhere");

            index.apply(0, List.of(old.withPayloadGone(), entry("recent", "make", "appointment:2:created", T, DeliveryStatus.RETRYING, "{}")), 5);
            assertThat(index.payloadsKeptBefore(0, T.plusSeconds(11), 10)).as("one aged out, one retried by an operator").isEmpty();
        }
    }

    @Test
    void a_restored_store_finds_the_payloads_to_age_out_from_the_entries_bytes() {
        var json = JsonSerde.of(IndexEntry.class).serializer();
        IndexEntry kept = finalEntry("kept", "appointment:5:confirmed", T);
        byte[] bytes = json.serialize("t", kept);
        assertThat(IndexEntry.orderOf(bytes).payloadKeptSinceMillis()).isEqualTo(T.toEpochMilli());
        try (DeliveryIndex index = DeliveryIndex.open(dir)) {
            index.applyStored(2, List.of(new DeliveryIndex.Stored("kept", bytes, IndexEntry.orderOf(bytes))), 1);
        }
        try (DeliveryIndex reopened = DeliveryIndex.open(dir)) {
            assertThat(reopened.payloadsKeptBefore(2, T.plusMillis(1), 10)).containsExactly(kept);
        }
    }

    @Test
    void an_entry_keeps_a_ledger_copy_only_when_final_and_without_the_payload() throws Exception {
        DeliveryRecord withPayload = ledgerRecord("x", "appointment:1:created", T);
        assertThatThrownBy(() -> new IndexEntry("x", "make", "appointment:1:created", DeliveryStatus.DELIVERED, 1, null, DeliveryReason.EVENT,
                false, T, null, T, withPayload)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IndexEntry("x", "make", "appointment:1:created", DeliveryStatus.RETRYING, 1, T, DeliveryReason.EVENT,
                false, T, "{}".getBytes(UTF_8), T, withPayload.withoutPayload())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IndexEntry("x", "make", "appointment:1:created", DeliveryStatus.DELIVERED, 1, null, DeliveryReason.EVENT,
                false, T, null, null, withPayload.withoutPayload())).isInstanceOf(IllegalArgumentException.class);
    }

    private static IndexEntry finalEntry(String id, String key, Instant finishedAt) {
        return new IndexEntry(id, "make", key, DeliveryStatus.DELIVERED, 1, null, DeliveryReason.EVENT, false, T, null, finishedAt,
                ledgerRecord(id, key, finishedAt).withoutPayload());
    }

    private static DeliveryRecord ledgerRecord(String id, String key, Instant finishedAt) {
        return DeliveryRecord.pending(id, "make", IdempotencyKey.parse(key), DeliveryReason.EVENT, Json.mapper().createObjectNode().put("customer", "Ada"), T)
                .next(DeliveryStatus.DELIVERED, 1, 200, null, "ok", finishedAt);
    }

    private static IndexEntry entry(String id, String endpoint, String key, Instant created, DeliveryStatus status, String body) {
        return new IndexEntry(id, endpoint, key, status, 1, status == DeliveryStatus.RETRYING ? T.plusSeconds(5) : null,
                DeliveryReason.EVENT, false, created, body == null ? null : body.getBytes(UTF_8));
    }
}
