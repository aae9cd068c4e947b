package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The latest ledger record per delivery id, on disk (RocksDB, {@link LedgerStore}) in a directory of its own that
 * {@link #close()} deletes, so the heap does not grow with the ledger: it holds only counts by endpoint and status.
 * {@link LedgerView} feeds it from the topic; it has no Kafka in it, so its rules are tested with plain records.
 *
 * <p>Every delivery is indexed by time, status, endpoint, appointment and idempotency key ({@link LedgerKeys}), so a
 * filtered page reads only what it shows ({@link LedgerPages}).
 *
 * <p>One writer (the view's consumer thread; writes are serialized all the same) and many readers (CLI, HTTP threads).
 * Every query reads one RocksDB snapshot, taken together with the counts, so a page and its total are of the same
 * moment of the ledger.
 */
public final class LedgerIndex implements AutoCloseable {

    /** What a directory of a ledger view is named like, under its parent; one per view, deleted on close. */
    public static final String DIRECTORY_PREFIX = "bookhook-ledger-view-";

    /** The most deliveries one page may hold. */
    public static final int MAX_PAGE = 10_000;

    private static final int MAX_PREFIX_MATCHES_COUNTED = 1000;

    /**
     * One page of deliveries, newest first, without payloads; {@code total} is how many match the filter in all, and
     * {@code next} the cursor of the page after this one ({@code null} when this is the last).
     */
    public record Page(List<DeliveryRecord> deliveries, long total, String next) {
    }

    private final LedgerStore store;

    private LedgerIndex(LedgerStore store) {
        this.store = store;
    }

    /** A fresh, empty index in a new directory under {@code java.io.tmpdir}. */
    public static LedgerIndex create() {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * A fresh, empty index in a new directory {@code bookhook-ledger-view-*} under {@code parent} (created when missing),
     * readable by this user only; {@link #close()} deletes it. Directories that views of processes no longer running
     * left behind there (killed before they could close) are deleted first.
     */
    public static LedgerIndex create(Path parent) {
        return new LedgerIndex(LedgerStore.open(LedgerDirectory.create(parent)));
    }

    /** The directory this index keeps its store in. */
    public Path directory() {
        return store.directory();
    }

    /** Applies one ledger record; a null value is a compaction tombstone and forgets the delivery. */
    public void apply(String deliveryId, DeliveryRecord value) {
        store.apply(deliveryId, value);
    }

    public Optional<DeliveryRecord> byDeliveryId(String deliveryId) {
        return store.read(read -> Optional.ofNullable(read.load(deliveryId, true)));
    }

    /**
     * The delivery an operator means: the exact id, or else the one delivery whose id starts with {@code idOrPrefix}
     * (the terminal table shows 8 characters). Empty when nothing matches; an {@code INVALID} {@link OperatorException}
     * when several do. Reads only the ids that start with the prefix.
     */
    public Optional<DeliveryRecord> resolve(String idOrPrefix) {
        return store.read(read -> {
            DeliveryRecord exact = read.load(idOrPrefix, true);
            if (exact != null || idOrPrefix.isEmpty()) {
                return Optional.ofNullable(exact);
            }
            List<String> matches = new ArrayList<>(1);
            int[] counted = {0};
            read.scan(LedgerKeys.record(idOrPrefix), null, key -> {
                if (matches.isEmpty()) {
                    matches.add(LedgerKeys.recordId(key));
                }
                return ++counted[0] <= MAX_PREFIX_MATCHES_COUNTED;
            });
            if (counted[0] > 1) {
                String many = counted[0] > MAX_PREFIX_MATCHES_COUNTED ? "more than " + MAX_PREFIX_MATCHES_COUNTED : Integer.toString(counted[0]);
                throw OperatorException.invalid("'" + idOrPrefix + "' matches " + many + " deliveries; give more of the delivery id");
            }
            return matches.isEmpty() ? Optional.empty() : Optional.ofNullable(read.load(matches.get(0), true));
        });
    }

    /** Every delivery under one idempotency key: the event's own and any resends of it, newest first, with payloads. */
    public List<DeliveryRecord> byIdempotencyKey(String idempotencyKey) {
        return store.read(read -> read.loadAll(LedgerKeys.byIdempotencyKey(idempotencyKey), true));
    }

    /** Every delivery of one appointment (a few: its events to each endpoint, and resends), newest first, with payloads. */
    public List<DeliveryRecord> byAppointment(String appointmentId) {
        return store.read(read -> read.loadAll(LedgerKeys.byAppointment(appointmentId), true));
    }

    /**
     * Calls {@code visit} with every delivery that holds a payload, with it, in delivery-id order, while it returns true;
     * one snapshot, one record in memory at a time.
     */
    public void forEachWithPayload(Predicate<DeliveryRecord> visit) {
        store.read(read -> {
            read.scan(LedgerKeys.payloads(), null, key -> {
                DeliveryRecord record = read.load(LedgerKeys.recordId(key), true);
                return record == null || visit.test(record);
            });
            return null;
        });
    }

    /** At most {@code limit} deliveries matching every filter (a null filter matches everything), newest first, without payloads. */
    public List<DeliveryRecord> find(DeliveryStatus status, String appointmentId, String endpoint, int limit) {
        return page(status, appointmentId, endpoint, null, limit).deliveries();
    }

    /** How many deliveries match every filter (a null filter matches everything). */
    public long total(DeliveryStatus status, String appointmentId, String endpoint) {
        if (appointmentId == null) {
            return store.counts().total(status, endpoint);
        }
        return page(status, appointmentId, endpoint, null, 1).total();
    }

    /**
     * A page of the deliveries matching every filter (a null filter matches everything), newest first, without payloads:
     * at most {@code limit} of them, starting after {@code before} (a {@link Page#next()} cursor; null for the newest).
     * Reads only the entries it returns, one more to know whether there is a next page, and, with an appointment
     * filter, that appointment's few deliveries.
     *
     * @throws IllegalArgumentException for a limit outside 1..{@value #MAX_PAGE} or a cursor this index did not make
     */
    public Page page(DeliveryStatus status, String appointmentId, String endpoint, String before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_PAGE + ", not " + limit);
        }
        byte[] after = before == null ? null : LedgerKeys.decodeCursor(before);
        return store.read(read -> LedgerPages.page(read, status, appointmentId, endpoint, after, limit));
    }

    /** Deliveries by endpoint, then by status (statuses without deliveries left out). */
    public Map<String, Map<DeliveryStatus, Long>> countsByEndpoint() {
        return store.counts().byEndpoint();
    }

    /** Deliveries by status, every status included. */
    public Map<DeliveryStatus, Long> countsByStatus() {
        return store.counts().byStatus();
    }

    public long count(DeliveryStatus status) {
        return store.counts().total(status, null);
    }

    public long size() {
        return store.counts().total(null, null);
    }

    /** Closes the store and deletes its directory; queries and writes after this fail, counts keep their last values. */
    @Override
    public void close() {
        store.close();
    }
}
