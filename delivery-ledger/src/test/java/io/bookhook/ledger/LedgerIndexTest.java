package io.bookhook.ledger;

import static io.bookhook.ledger.Deliveries.T0;
import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static io.bookhook.ledger.Deliveries.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerIndexTest {

    @TempDir
    Path parent;

    private LedgerIndex index;

    private LedgerIndex index() {
        if (index == null) {
            index = LedgerIndex.create(parent);
        }
        return index;
    }

    @AfterEach
    void close() {
        if (index != null) {
            index.close();
        }
    }

    private static List<String> ids(Collection<DeliveryRecord> records) {
        return records.stream().map(DeliveryRecord::deliveryId).toList();
    }

    /** A delivery of {@code endpoint} last updated {@code second} seconds after T0. */
    private static DeliveryRecord at(String id, String appointment, String endpoint, DeliveryStatus status, long second) {
        DeliveryRecord r = record(id, appointment, EventType.CREATED, status, T0.plusSeconds(second));
        return new DeliveryRecord(r.deliveryId(), endpoint, r.idempotencyKey(), r.eventType(), r.appointmentId(), r.status(), r.attempts(),
                r.nextAttemptAt(), r.lastResponseCode(), r.lastError(), r.responseExcerpt(), r.reason(), r.createdAt(), r.updatedAt(),
                r.payload());
    }

    @Test
    void should_keep_only_the_latest_record_of_a_delivery_in_every_index() {
        index().apply("d1", failed("d1", "42", EventType.CONFIRMED));
        index().apply("d1", delivered("d1", "42", EventType.CONFIRMED));

        assertThat(index().byDeliveryId("d1")).get().extracting(DeliveryRecord::status).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(index().find(DeliveryStatus.FAILED, null, null, 10)).isEmpty();
        assertThat(index().find(DeliveryStatus.DELIVERED, "42", null, 10)).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
        assertThat(index().find(null, null, "make", 10)).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
        assertThat(index().find(DeliveryStatus.FAILED, null, "make", 10)).isEmpty();
        assertThat(index().find(null, null, null, 10)).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
        assertThat(index().count(DeliveryStatus.FAILED)).isZero();
        assertThat(index().count(DeliveryStatus.DELIVERED)).isEqualTo(1);
        assertThat(index().byAppointment("42")).hasSize(1);
        assertThat(index().byIdempotencyKey("appointment:42:confirmed")).hasSize(1);
        assertThat(index().size()).isEqualTo(1);
    }

    @Test
    void should_forget_a_delivery_on_a_tombstone() {
        index().apply("d1", failed("d1", "42", EventType.CREATED));
        index().apply("d1", null);

        assertThat(index().byDeliveryId("d1")).isEmpty();
        assertThat(index().byAppointment("42")).isEmpty();
        assertThat(index().byIdempotencyKey("appointment:42:created")).isEmpty();
        assertThat(index().find(null, null, null, 10)).isEmpty();
        assertThat(index().find(DeliveryStatus.FAILED, null, "make", 10)).isEmpty();
        assertThat(index().count(DeliveryStatus.FAILED)).isZero();
        assertThat(index().countsByEndpoint()).isEmpty();
        assertThat(index().size()).isZero();
        assertThat(index().resolve("d")).isEmpty();
    }

    @Test
    void a_tombstone_for_a_delivery_never_seen_changes_nothing() {
        index().apply("d1", failed("d1", "42", EventType.CREATED));
        index().apply("never", null);

        assertThat(index().size()).isEqualTo(1);
        assertThat(index().count(DeliveryStatus.FAILED)).isEqualTo(1);
    }

    @Test
    void should_find_every_delivery_under_one_idempotency_key_newest_first() {
        index().apply("event", delivered("event", "42", EventType.CONFIRMED));
        index().apply("resend", failed("resend", "42", EventType.CONFIRMED));
        index().apply("other", failed("other", "42", EventType.CREATED));

        assertThat(index().byIdempotencyKey("appointment:42:confirmed")).extracting(DeliveryRecord::deliveryId)
                .containsExactly("resend", "event");
    }

    @Test
    void should_filter_by_status_and_appointment_together() {
        index().apply("a", failed("a", "1", EventType.CREATED));
        index().apply("b", delivered("b", "1", EventType.CONFIRMED));
        index().apply("c", failed("c", "2", EventType.CREATED));

        assertThat(index().find(DeliveryStatus.FAILED, "1", null, 10)).extracting(DeliveryRecord::deliveryId).containsExactly("a");
        assertThat(index().find(DeliveryStatus.FAILED, null, null, 10)).extracting(DeliveryRecord::deliveryId).containsExactlyInAnyOrder("a", "c");
        assertThat(index().find(null, "1", null, 10)).extracting(DeliveryRecord::deliveryId).containsExactlyInAnyOrder("a", "b");
        assertThat(index().find(null, "3", null, 10)).isEmpty();
        assertThat(index().total(DeliveryStatus.FAILED, "1", null)).isEqualTo(1);
        assertThat(index().total(null, "1", null)).isEqualTo(2);
        assertThat(index().total(DeliveryStatus.FAILED, null, null)).isEqualTo(2);
    }

    @Test
    void filters_combine_status_endpoint_and_appointment() {
        index().apply("a1", at("a1", "1", "alpha", DeliveryStatus.FAILED, 1));
        index().apply("a2", at("a2", "2", "alpha", DeliveryStatus.DELIVERED, 2));
        index().apply("b1", at("b1", "1", "beta", DeliveryStatus.FAILED, 3));
        index().apply("b2", at("b2", "2", "beta", DeliveryStatus.FAILED, 4));

        assertThat(ids(index().find(DeliveryStatus.FAILED, null, "beta", 10))).containsExactly("b2", "b1");
        assertThat(ids(index().find(null, null, "alpha", 10))).containsExactly("a2", "a1");
        assertThat(ids(index().find(DeliveryStatus.FAILED, "1", "beta", 10))).containsExactly("b1");
        assertThat(ids(index().find(DeliveryStatus.DELIVERED, "1", null, 10))).isEmpty();
        assertThat(ids(index().find(null, "2", "alpha", 10))).containsExactly("a2");
        assertThat(index().total(DeliveryStatus.FAILED, null, "beta")).isEqualTo(2);
        assertThat(index().total(null, null, "alpha")).isEqualTo(2);
        assertThat(index().total(DeliveryStatus.FAILED, "1", "alpha")).isEqualTo(1);
        assertThat(index().total(null, null, "gamma")).isZero();
    }

    @Test
    void lists_are_newest_first_by_update_time_then_by_id() {
        index().apply("old", at("old", "1", "make", DeliveryStatus.DELIVERED, 1));
        index().apply("new-b", at("new-b", "2", "make", DeliveryStatus.DELIVERED, 9));
        index().apply("new-a", at("new-a", "3", "make", DeliveryStatus.DELIVERED, 9));
        index().apply("mid", at("mid", "4", "make", DeliveryStatus.DELIVERED, 5));
        // Before 1970 and without a time: still in order, last.
        DeliveryRecord ancient = at("ancient", "5", "make", DeliveryStatus.DELIVERED, 0);
        index().apply("ancient", new DeliveryRecord("ancient", "make", ancient.idempotencyKey(), ancient.eventType(), "5",
                ancient.status(), 1, null, 200, null, null, ancient.reason(), null, Instant.parse("1969-07-20T20:17:40Z"), null));
        DeliveryRecord timeless = at("timeless", "6", "make", DeliveryStatus.DELIVERED, 0);
        index().apply("timeless", new DeliveryRecord("timeless", "make", timeless.idempotencyKey(), timeless.eventType(), "6",
                timeless.status(), 1, null, 200, null, null, timeless.reason(), null, null, null));

        List<String> expected = List.of("new-a", "new-b", "mid", "old", "timeless", "ancient");
        assertThat(ids(index().find(null, null, null, 100))).containsExactlyElementsOf(expected);
        assertThat(ids(index().find(DeliveryStatus.DELIVERED, null, null, 100))).containsExactlyElementsOf(expected);
        assertThat(ids(index().find(null, null, "make", 100))).containsExactlyElementsOf(expected);

        // Updated again: it moves to the top, and only once.
        index().apply("old", at("old", "1", "make", DeliveryStatus.DELIVERED, 20));
        assertThat(ids(index().find(null, null, null, 3))).containsExactly("old", "new-a", "new-b");
        assertThat(index().size()).isEqualTo(6);
    }

    @Test
    void pages_are_cut_at_the_limit_and_continue_from_their_cursor() {
        for (int i = 0; i < 25; i++) {
            String id = String.format("d%02d", i);
            index().apply(id, at(id, Integer.toString(i % 3), "make", i % 5 == 0 ? DeliveryStatus.FAILED : DeliveryStatus.DELIVERED, i));
        }

        List<String> all = new ArrayList<>();
        LedgerIndex.Page page = index().page(null, null, null, null, 10);
        assertThat(page.total()).isEqualTo(25);
        while (true) {
            all.addAll(ids(page.deliveries()));
            if (page.next() == null) {
                break;
            }
            assertThat(page.deliveries()).hasSize(10);
            assertThat(all).as("a cursor that does not move on would page forever").hasSizeLessThan(25);
            page = index().page(null, null, null, page.next(), 10);
        }
        assertThat(all).hasSize(25).doesNotHaveDuplicates().startsWith("d24", "d23").endsWith("d01", "d00");
        assertThat(page.deliveries()).hasSize(5);

        // A page exactly as long as what is left has no next.
        LedgerIndex.Page failed = index().page(DeliveryStatus.FAILED, null, null, null, 5);
        assertThat(ids(failed.deliveries())).containsExactly("d20", "d15", "d10", "d05", "d00");
        assertThat(failed.next()).isNull();
        LedgerIndex.Page firstTwo = index().page(DeliveryStatus.FAILED, null, null, null, 2);
        assertThat(index().page(DeliveryStatus.FAILED, null, null, firstTwo.next(), 2).deliveries()).extracting(DeliveryRecord::deliveryId)
                .containsExactly("d10", "d05");

        // With an appointment filter too (appointment 0: d00, d03, ..., d24).
        LedgerIndex.Page ofZero = index().page(null, "0", null, null, 4);
        assertThat(ids(ofZero.deliveries())).containsExactly("d24", "d21", "d18", "d15");
        assertThat(ofZero.total()).isEqualTo(9);
        assertThat(ids(index().page(null, "0", null, ofZero.next(), 4).deliveries())).containsExactly("d12", "d09", "d06", "d03");

        // A cursor works across filters: it is a position in time.
        assertThat(ids(index().page(DeliveryStatus.FAILED, null, "make", ofZero.next(), 10).deliveries())).containsExactly("d10", "d05", "d00");
    }

    @Test
    void a_delivery_moves_between_the_status_indexes_as_it_goes_from_pending_to_retrying_to_delivered() {
        index().apply("other", at("other", "7", "beta", DeliveryStatus.FAILED, 0));

        for (DeliveryStatus now : List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.DELIVERED)) {
            index().apply("d1", at("d1", "42", "alpha", now, now.ordinal() + 1));

            for (DeliveryStatus status : List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.DELIVERED)) {
                List<String> expected = status == now ? List.of("d1") : List.of();
                assertThat(ids(index().find(status, null, null, 10))).as("%s when %s", status, now).isEqualTo(expected);
                assertThat(ids(index().find(status, null, "alpha", 10))).as("%s of alpha when %s", status, now).isEqualTo(expected);
                assertThat(ids(index().find(status, "42", null, 10))).as("%s of appointment 42 when %s", status, now).isEqualTo(expected);
                assertThat(index().total(status, null, null)).as("total %s when %s", status, now).isEqualTo(expected.size());
                assertThat(index().total(status, null, "alpha")).isEqualTo(expected.size());
            }
            assertThat(ids(index().find(null, null, null, 10))).as("once, newest first").containsExactly("d1", "other");
            assertThat(ids(index().find(null, null, "alpha", 10))).containsExactly("d1");
            assertThat(index().byAppointment("42")).singleElement().extracting(DeliveryRecord::status).isEqualTo(now);
            assertThat(index().byIdempotencyKey("appointment:42:created")).singleElement().extracting(DeliveryRecord::status).isEqualTo(now);
            assertThat(index().countsByEndpoint()).isEqualTo(Map.of("alpha", Map.of(now, 1L), "beta", Map.of(DeliveryStatus.FAILED, 1L)));
            assertThat(index().size()).isEqualTo(2);
        }
    }

    @Test
    void deliveries_updated_at_the_same_instant_are_paged_by_id_without_gaps_or_repeats() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = String.format("same-%02d", i);
            expected.add(id);
            index().apply(id, at(id, Integer.toString(i), "make", DeliveryStatus.DELIVERED, 5));
        }

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            LedgerIndex.Page page = index().page(null, null, null, cursor, 7);
            paged.addAll(ids(page.deliveries()));
            cursor = page.next();
            pages++;
        } while (cursor != null && paged.size() < expected.size());

        assertThat(paged).isEqualTo(expected);
        assertThat(cursor).as("the last page has no next").isNull();
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void paging_while_the_ledger_changes_neither_repeats_nor_skips_a_delivery_that_did_not_change() {
        for (int i = 0; i < 30; i++) {
            String id = String.format("d%02d", i);
            index().apply(id, at(id, Integer.toString(i), "make", DeliveryStatus.RETRYING, i));
        }
        LedgerIndex.Page first = index().page(null, null, null, null, 10);
        assertThat(ids(first.deliveries())).startsWith("d29").endsWith("d20");

        // Between two pages: one delivery not shown yet is updated (it moves above the cursor), one shown is too,
        // one not shown is deleted, and a new one arrives.
        index().apply("d05", at("d05", "5", "make", DeliveryStatus.DELIVERED, 100));
        index().apply("d25", at("d25", "25", "make", DeliveryStatus.DELIVERED, 101));
        index().apply("d10", null);
        index().apply("new", at("new", "99", "make", DeliveryStatus.PENDING, 102));

        List<String> rest = new ArrayList<>();
        String cursor = first.next();
        while (cursor != null) {
            LedgerIndex.Page page = index().page(null, null, null, cursor, 10);
            rest.addAll(ids(page.deliveries()));
            cursor = page.next();
            assertThat(rest).as("a cursor that does not move on would page forever").hasSizeLessThanOrEqualTo(30);
        }
        List<String> unchangedOlder = new ArrayList<>();
        for (int i = 19; i >= 0; i--) {
            if (i != 5 && i != 10) {
                unchangedOlder.add(String.format("d%02d", i));
            }
        }
        assertThat(rest).isEqualTo(unchangedOlder);
        assertThat(ids(index().page(null, null, null, null, 3).deliveries())).containsExactly("new", "d25", "d05");
    }

    @Test
    void a_page_refuses_a_bad_limit_or_cursor() {
        index().apply("d1", failed("d1", "42", EventType.CREATED));

        assertThatThrownBy(() -> index().page(null, null, null, null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> index().page(null, null, null, "%%%", 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> index().page(null, null, null, "AAAA", 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_failed_delivery_is_found_by_status_without_reading_the_others() {
        for (int i = 0; i < 2_000; i++) {
            index().apply("ok-" + i, at("ok-" + i, Integer.toString(i), "make", DeliveryStatus.DELIVERED, 100 + i));
        }
        index().apply("bad", at("bad", "7", "make", DeliveryStatus.FAILED, 1));

        LedgerIndex.Page page = index().page(DeliveryStatus.FAILED, null, null, null, 200);
        assertThat(ids(page.deliveries())).containsExactly("bad");
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.next()).isNull();
        assertThat(index().page(null, null, null, null, 200).total()).isEqualTo(2_001);
    }

    @Test
    void lists_leave_payloads_out_and_single_lookups_bring_them() {
        index().apply("d1", failed("d1", "42", EventType.CONFIRMED));

        assertThat(index().find(null, null, null, 10)).singleElement().satisfies(r -> assertThat(r.payload()).isNull());
        assertThat(index().byDeliveryId("d1")).get().satisfies(
                r -> assertThat(r.payload().get("idempotency_key").asText()).isEqualTo("appointment:42:confirmed"));
        assertThat(index().resolve("d")).get().satisfies(r -> assertThat(r.payload()).isNotNull());
        assertThat(index().byAppointment("42")).singleElement().satisfies(r -> assertThat(r.payload()).isNotNull());
        assertThat(index().byDeliveryId("d1")).contains(failed("d1", "42", EventType.CONFIRMED));
    }

    @Test
    void should_resolve_an_exact_id_or_a_unique_prefix_and_refuse_an_ambiguous_one() {
        index().apply("0b8e1f2a-1111", failed("0b8e1f2a-1111", "1", EventType.CREATED));
        index().apply("0b8e9999-2222", failed("0b8e9999-2222", "2", EventType.CREATED));
        index().apply("0b8e1f2a", failed("0b8e1f2a", "3", EventType.CREATED));

        assertThat(index().resolve("0b8e1f2a-1111")).get().extracting(DeliveryRecord::appointmentId).isEqualTo("1");
        assertThat(index().resolve("0b8e1f2a-")).get().extracting(DeliveryRecord::appointmentId).isEqualTo("1");
        assertThat(index().resolve("0b8e1f2a")).as("an exact id wins over a prefix").get().extracting(DeliveryRecord::appointmentId).isEqualTo("3");
        assertThat(index().resolve("0b8e9")).get().extracting(DeliveryRecord::appointmentId).isEqualTo("2");
        assertThat(index().resolve("ffff")).isEmpty();
        assertThat(index().resolve("")).isEmpty();
        assertThatThrownBy(() -> index().resolve("0b8e"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.INVALID))
                .hasMessage("'0b8e' matches 3 deliveries; give more of the delivery id");
        assertThatThrownBy(() -> index().resolve("0b8e1"))
                .hasMessage("'0b8e1' matches 2 deliveries; give more of the delivery id");
    }

    @Test
    void an_ambiguous_prefix_counts_only_so_far() {
        for (int i = 0; i < 1_100; i++) {
            index().apply("aa-" + i, failed("aa-" + i, Integer.toString(i), EventType.CREATED));
        }

        assertThatThrownBy(() -> index().resolve("aa"))
                .hasMessage("'aa' matches more than 1000 deliveries; give more of the delivery id");
    }

    @Test
    void counts_follow_overwrites_and_deletes() {
        index().apply("a", at("a", "1", "alpha", DeliveryStatus.PENDING, 1));
        index().apply("b", at("b", "2", "alpha", DeliveryStatus.RETRYING, 2));
        index().apply("c", at("c", "3", "beta", DeliveryStatus.PENDING, 3));
        index().apply("a", at("a", "1", "alpha", DeliveryStatus.DELIVERED, 4));
        index().apply("b", at("b", "2", "alpha", DeliveryStatus.FAILED, 5));
        index().apply("b", at("b", "2", "alpha", DeliveryStatus.DELIVERED, 6));
        index().apply("c", null);
        index().apply("d", at("d", "4", "beta", DeliveryStatus.FAILED, 7));

        assertThat(index().size()).isEqualTo(3);
        assertThat(index().countsByStatus()).containsExactlyInAnyOrderEntriesOf(Map.of(DeliveryStatus.PENDING, 0L, DeliveryStatus.RETRYING, 0L,
                DeliveryStatus.DELIVERED, 2L, DeliveryStatus.FAILED, 1L, DeliveryStatus.SKIPPED, 0L));
        assertThat(index().countsByEndpoint()).isEqualTo(Map.of("alpha", Map.of(DeliveryStatus.DELIVERED, 2L),
                "beta", Map.of(DeliveryStatus.FAILED, 1L)));
        assertThat(index().total(null, null, "beta")).isEqualTo(1);
        assertThat(ids(index().find(DeliveryStatus.PENDING, null, null, 10))).isEmpty();
        assertThat(ids(index().find(DeliveryStatus.DELIVERED, null, "alpha", 10))).containsExactly("b", "a");

        // An endpoint whose deliveries are all gone is no longer counted.
        index().apply("d", null);
        assertThat(index().countsByEndpoint()).containsOnlyKeys("alpha");
    }

    @Test
    void a_record_stored_under_another_key_than_its_id_is_indexed_under_the_key() {
        index().apply("key-1", failed("id-in-value", "42", EventType.CREATED));
        index().apply("key-1", delivered("id-in-value", "42", EventType.CREATED));

        assertThat(index().size()).isEqualTo(1);
        assertThat(index().byAppointment("42")).hasSize(1);
        assertThat(index().find(DeliveryStatus.FAILED, null, null, 10)).isEmpty();
        index().apply("key-1", null);
        assertThat(index().byAppointment("42")).isEmpty();
    }

    @Test
    void twenty_thousand_deliveries_are_queried_from_disk_with_no_collection_per_delivery_on_the_heap() throws Exception {
        for (int i = 0; i < 20_000; i++) {
            String id = String.format("%08d", i);
            index().apply(id, at(id, Integer.toString(i / 2), i % 2 == 0 ? "alpha" : "beta",
                    i % 1000 == 0 ? DeliveryStatus.FAILED : DeliveryStatus.DELIVERED, i));
        }

        assertThat(index().size()).isEqualTo(20_000);
        assertThat(index().count(DeliveryStatus.FAILED)).isEqualTo(20);
        assertThat(ids(index().find(null, null, null, 2))).containsExactly("00019999", "00019998");
        assertThat(index().page(DeliveryStatus.FAILED, null, "alpha", null, 100).total()).isEqualTo(20);
        assertThat(index().byAppointment("5000")).hasSize(2);
        assertThat(index().resolve("00012345")).get().extracting(DeliveryRecord::endpoint).isEqualTo("beta");
        assertThatThrownBy(() -> index().resolve("0001999")).hasMessageContaining("matches 10 deliveries");
        // Every collection the index holds is bounded by its endpoints (two here), not by its 20,000 deliveries.
        for (Field field : LedgerIndex.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(index());
            if (value instanceof Map<?, ?> map) {
                assertThat(map).as(field.getName()).hasSizeLessThanOrEqualTo(2);
            } else if (value instanceof Collection<?> collection) {
                assertThat(collection).as(field.getName()).hasSizeLessThanOrEqualTo(2);
            } else {
                assertThat(value == null || !value.getClass().isArray() || java.lang.reflect.Array.getLength(value) < 100)
                        .as(field.getName()).isTrue();
            }
        }
    }

    @Test
    void close_deletes_the_directory_and_later_queries_are_refused() {
        index().apply("d1", failed("d1", "42", EventType.CREATED));
        Path directory = index().directory();
        assertThat(directory).startsWith(parent).isDirectory();
        assertThat(directory.getFileName().toString()).startsWith(LedgerIndex.DIRECTORY_PREFIX);

        index().close();
        index().close();

        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> index().byDeliveryId("d1"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> index().apply("d2", failed("d2", "43", EventType.CREATED))).isInstanceOf(OperatorException.class);
        assertThat(index().size()).as("counts keep their last values").isEqualTo(1);
    }

    @Test
    void each_index_has_a_directory_of_its_own_and_leftovers_of_dead_processes_are_deleted() throws Exception {
        Path dead = Files.createDirectory(parent.resolve(LedgerIndex.DIRECTORY_PREFIX + "dead"));
        Files.writeString(dead.resolve("owner"), Long.MAX_VALUE + " 2020-01-01T00:00:00Z");
        Path recycledPid = Files.createDirectory(parent.resolve(LedgerIndex.DIRECTORY_PREFIX + "recycled"));
        Files.writeString(recycledPid.resolve("owner"), ProcessHandle.current().pid() + " 2020-01-01T00:00:00Z");
        Path oldWithoutOwner = Files.createDirectory(parent.resolve(LedgerIndex.DIRECTORY_PREFIX + "old"));
        Files.setLastModifiedTime(oldWithoutOwner, FileTime.from(Instant.now().minusSeconds(2 * 86_400)));
        Path newWithoutOwner = Files.createDirectory(parent.resolve(LedgerIndex.DIRECTORY_PREFIX + "new"));
        Path unrelated = Files.createDirectory(parent.resolve("something-else"));

        try (LedgerIndex first = LedgerIndex.create(parent); LedgerIndex second = LedgerIndex.create(parent)) {
            assertThat(first.directory()).isNotEqualTo(second.directory());
            assertThat(dead).doesNotExist();
            assertThat(recycledPid).doesNotExist();
            assertThat(oldWithoutOwner).doesNotExist();
            assertThat(newWithoutOwner).exists();
            assertThat(unrelated).exists();
            assertThat(first.directory()).as("a live view's directory is kept").exists();
            first.apply("d1", failed("d1", "42", EventType.CREATED));
            assertThat(second.size()).isZero();
        }
    }
}
