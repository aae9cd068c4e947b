package io.bookhook.ledger;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest ledger record per delivery id, on disk (RocksDB) in a directory of its own that {@link #close()} deletes,
 * so the heap does not grow with the ledger: it holds only counts by endpoint and status. {@link LedgerView} feeds it
 * from the topic; it has no Kafka in it, so its rules are tested with plain records.
 *
 * <p>Layout, one key space with a one-byte prefix per kind; {@code T} is {@code updated_at} encoded so that byte order is
 * newest first, followed by the delivery id (ties: by id), which is also what a paging cursor holds:
 * <ul>
 *   <li>{@code d} id → the record as JSON, without its payload (lists never read payloads);</li>
 *   <li>{@code p} id → the payload as JSON, when the record has one;</li>
 *   <li>{@code t} T, {@code s} status T, {@code e} endpoint 0 T, {@code f} endpoint 0 status T: every delivery, by status,
 *       by endpoint and by both, newest first, so a filtered page reads only what it shows;</li>
 *   <li>{@code a} appointment 0 T and {@code k} idempotency key 0 T: the few deliveries of one appointment or one key.</li>
 * </ul>
 * Index entries have empty values. Applying a record reads the previous one and replaces its index entries in one
 * write batch.
 *
 * <p>One writer (the view's consumer thread; writes are serialized all the same) and many readers (CLI, HTTP threads).
 * Every query reads one RocksDB snapshot, taken together with the counts, so a page and its total are of the same
 * moment of the ledger.
 */
public final class LedgerIndex implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    /** What a directory of a ledger view is named like, under its parent; one per view, deleted on close. */
    public static final String DIRECTORY_PREFIX = "bookhook-ledger-view-";

    /** The most deliveries one page may hold. */
    public static final int MAX_PAGE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(LedgerIndex.class);
    private static final Duration LEFTOVER_AGE = Duration.ofDays(1);
    private static final String OWNER_FILE = "owner";
    private static final int MAX_PREFIX_MATCHES_COUNTED = 1000;

    private static final byte RECORD = 'd';
    private static final byte PAYLOAD = 'p';
    private static final byte BY_TIME = 't';
    private static final byte BY_STATUS = 's';
    private static final byte BY_ENDPOINT = 'e';
    private static final byte BY_ENDPOINT_STATUS = 'f';
    private static final byte BY_APPOINTMENT = 'a';
    private static final byte BY_KEY = 'k';
    private static final byte SEPARATOR = 0;
    private static final int TIME_BYTES = Long.BYTES + Integer.BYTES;
    private static final byte[] EMPTY = new byte[0];
    private static final DeliveryStatus[] STATUSES = DeliveryStatus.values();

    /**
     * One page of deliveries, newest first, without payloads; {@code total} is how many match the filter in all, and
     * {@code next} the cursor of the page after this one ({@code null} when this is the last).
     */
    public record Page(List<DeliveryRecord> deliveries, long total, String next) {
    }

    private final Path directory;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;
    private final Serializer<DeliveryRecord> serializer = JsonSerde.of(DeliveryRecord.class).serializer();
    private final Deserializer<DeliveryRecord> deserializer = JsonSerde.of(DeliveryRecord.class).deserializer();

    /** Close waits for queries and writes under way; they refuse once it is closed. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Held for a whole {@link #apply}: it reads the previous record before it replaces its index entries, so two writers at
     * once would each delete the entries of the same previous record and leave one's new entries behind.
     */
    private final Object writer = new Object();
    /** Guards the counts, and makes a write batch and the counts it changes one step for a query's snapshot. */
    private final Object state = new Object();
    /** Deliveries by endpoint, by status ordinal: bounded by the number of endpoints, never by deliveries. */
    private final Map<String, long[]> counts = new HashMap<>();

    private LedgerIndex(Path directory, LRUCache cache, BloomFilter filter, Options options, WriteOptions writes, RocksDB db) {
        this.directory = directory;
        this.cache = cache;
        this.filter = filter;
        this.options = options;
        this.writes = writes;
        this.db = db;
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
        Path directory;
        try {
            Files.createDirectories(parent);
            deleteLeftovers(parent);
            directory = Files.createTempDirectory(parent, DIRECTORY_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the ledger view under " + parent + ": " + e.getMessage(), e);
        }
        LRUCache cache = null;
        BloomFilter filter = null;
        Options options = null;
        WriteOptions writes = null;
        boolean opened = false;
        try {
            Files.writeString(directory.resolve(OWNER_FILE), ownerLine(ProcessHandle.current()));
            cache = new LRUCache(8L * 1024 * 1024);
            // Most records of a first read are of deliveries not seen yet: a Bloom filter answers "no previous record" in memory.
            filter = new BloomFilter(10, false);
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(filter)
                    // In the cache rather than beside it, so the store's native memory is bounded too, whatever the ledger's size.
                    .setCacheIndexAndFilterBlocks(true);
            options = new Options()
                    .setCreateIfMissing(true)
                    .setTableFormatConfig(table)
                    .setWriteBufferSize(8L * 1024 * 1024)
                    .setMaxWriteBufferNumber(2)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setMaxOpenFiles(256);
            // No write-ahead log: the store lives as long as the process, and a new one reads the topic from its beginning.
            writes = new WriteOptions().setDisableWAL(true);
            LedgerIndex index = new LedgerIndex(directory, cache, filter, options, writes,
                    RocksDB.open(options, directory.resolve("rocksdb").toString()));
            opened = true;
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the ledger view's directory " + directory + ": " + e.getMessage(), e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the ledger view's store in " + directory + ": " + e.getMessage(), e);
        } finally {
            if (!opened) {
                // Whatever failed (even an Error such as a missing native library), leave no directory and no native handle behind.
                closeQuietly(writes, options, filter, cache);
                deleteTree(directory);
            }
        }
    }

    /** The directory this index keeps its store in. */
    public Path directory() {
        return directory;
    }

    /** Applies one ledger record; a null value is a compaction tombstone and forgets the delivery. */
    public void apply(String deliveryId, DeliveryRecord value) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            synchronized (writer) {
                replace(deliveryId, value);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write the ledger view's store in " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the payload of delivery " + deliveryId + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Replaces the previous record of {@code deliveryId}, its payload and its index entries, and the counts, in one step. */
    private void replace(String deliveryId, DeliveryRecord value) throws RocksDBException, IOException {
        byte[] recordKey = key(RECORD, deliveryId);
        byte[] previousBytes = db.get(recordKey);
        DeliveryRecord previous = previousBytes == null ? null : readRecord(previousBytes);
        try (WriteBatch batch = new WriteBatch()) {
            if (previous != null) {
                for (byte[] entry : indexKeys(deliveryId, previous)) {
                    batch.delete(entry);
                }
            }
            if (value == null) {
                batch.delete(recordKey);
                batch.delete(key(PAYLOAD, deliveryId));
            } else {
                batch.put(recordKey, serializer.serialize(null, withPayload(value, null)));
                if (value.payload() != null && !value.payload().isNull()) {
                    batch.put(key(PAYLOAD, deliveryId), Json.mapper().writeValueAsBytes(value.payload()));
                } else {
                    batch.delete(key(PAYLOAD, deliveryId));
                }
                for (byte[] entry : indexKeys(deliveryId, value)) {
                    batch.put(entry, EMPTY);
                }
            }
            synchronized (state) {
                db.write(writes, batch);
                if (previous != null) {
                    count(previous, -1);
                }
                if (value != null) {
                    count(value, +1);
                }
            }
        }
    }

    public Optional<DeliveryRecord> byDeliveryId(String deliveryId) {
        return query(read -> Optional.ofNullable(load(read, deliveryId, true)));
    }

    /**
     * The delivery an operator means: the exact id, or else the one delivery whose id starts with {@code idOrPrefix}
     * (the terminal table shows 8 characters). Empty when nothing matches; an {@code INVALID} {@link OperatorException}
     * when several do. Reads only the ids that start with the prefix.
     */
    public Optional<DeliveryRecord> resolve(String idOrPrefix) {
        return query(read -> {
            DeliveryRecord exact = load(read, idOrPrefix, true);
            if (exact != null || idOrPrefix.isEmpty()) {
                return Optional.ofNullable(exact);
            }
            List<String> matches = new ArrayList<>(1);
            int[] counted = {0};
            byte[] prefix = key(RECORD, idOrPrefix);
            scan(read, prefix, null, key -> {
                if (matches.isEmpty()) {
                    matches.add(new String(key, 1, key.length - 1, UTF_8));
                }
                return ++counted[0] <= MAX_PREFIX_MATCHES_COUNTED;
            });
            if (counted[0] > 1) {
                String many = counted[0] > MAX_PREFIX_MATCHES_COUNTED ? "more than " + MAX_PREFIX_MATCHES_COUNTED : Integer.toString(counted[0]);
                throw OperatorException.invalid("'" + idOrPrefix + "' matches " + many + " deliveries; give more of the delivery id");
            }
            return matches.isEmpty() ? Optional.empty() : Optional.ofNullable(load(read, matches.get(0), true));
        });
    }

    /** Every delivery under one idempotency key: the event's own and any resends of it, newest first, with payloads. */
    public List<DeliveryRecord> byIdempotencyKey(String idempotencyKey) {
        return query(read -> loadAll(read, prefix(BY_KEY, idempotencyKey), true));
    }

    /** Every delivery of one appointment (a few: its events to each endpoint, and resends), newest first, with payloads. */
    public List<DeliveryRecord> byAppointment(String appointmentId) {
        return query(read -> loadAll(read, prefix(BY_APPOINTMENT, appointmentId), true));
    }

    /** At most {@code limit} deliveries matching every filter (a null filter matches everything), newest first, without payloads. */
    public List<DeliveryRecord> find(DeliveryStatus status, String appointmentId, String endpoint, int limit) {
        return page(status, appointmentId, endpoint, null, limit).deliveries();
    }

    /** How many deliveries match every filter (a null filter matches everything). */
    public long total(DeliveryStatus status, String appointmentId, String endpoint) {
        if (appointmentId == null) {
            synchronized (state) {
                return total(counts, status, endpoint);
            }
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
        byte[] after = before == null ? null : decodeCursor(before);
        return query((read, countsNow) -> {
            List<DeliveryRecord> found = new ArrayList<>();
            byte[][] last = {null};
            boolean[] more = {false};
            if (appointmentId != null) {
                // One appointment has few deliveries: read them all, filter, count and cut the page.
                byte[] prefix = prefix(BY_APPOINTMENT, appointmentId);
                long[] total = {0};
                scan(read, prefix, null, key -> {
                    DeliveryRecord record = load(read, idOf(key, prefix.length), false);
                    if (record != null && (status == null || record.status() == status)
                            && (endpoint == null || record.endpointName().equals(endpoint))) {
                        total[0]++;
                        byte[] position = Arrays.copyOfRange(key, prefix.length, key.length);
                        if (after == null || Arrays.compareUnsigned(position, after) > 0) {
                            if (found.size() < limit) {
                                found.add(record);
                                last[0] = position;
                            } else {
                                more[0] = true;
                            }
                        }
                    }
                    return true;
                });
                return new Page(found, total[0], more[0] ? encodeCursor(last[0]) : null);
            }
            byte[] prefix = status == null && endpoint == null ? new byte[] {BY_TIME}
                    : endpoint == null ? new byte[] {BY_STATUS, (byte) status.ordinal()}
                    : status == null ? prefix(BY_ENDPOINT, endpoint)
                    : concat(prefix(BY_ENDPOINT_STATUS, endpoint), new byte[] {(byte) status.ordinal()});
            scan(read, prefix, after, key -> {
                if (found.size() == limit) {
                    more[0] = true;
                    return false;
                }
                DeliveryRecord record = load(read, idOf(key, prefix.length), false);
                if (record != null) {
                    found.add(record);
                    last[0] = Arrays.copyOfRange(key, prefix.length, key.length);
                }
                return true;
            });
            return new Page(found, total(countsNow, status, endpoint), more[0] ? encodeCursor(last[0]) : null);
        });
    }

    /** Deliveries by endpoint, then by status (statuses without deliveries left out). */
    public Map<String, Map<DeliveryStatus, Long>> countsByEndpoint() {
        Map<String, Map<DeliveryStatus, Long>> byEndpoint = new TreeMap<>();
        synchronized (state) {
            counts.forEach((endpoint, byStatus) -> {
                Map<DeliveryStatus, Long> mine = new EnumMap<>(DeliveryStatus.class);
                for (DeliveryStatus status : STATUSES) {
                    if (byStatus[status.ordinal()] > 0) {
                        mine.put(status, byStatus[status.ordinal()]);
                    }
                }
                byEndpoint.put(endpoint, mine);
            });
        }
        return byEndpoint;
    }

    /** Deliveries by status, every status included. */
    public Map<DeliveryStatus, Long> countsByStatus() {
        Map<DeliveryStatus, Long> byStatus = new EnumMap<>(DeliveryStatus.class);
        synchronized (state) {
            for (DeliveryStatus status : STATUSES) {
                byStatus.put(status, total(counts, status, null));
            }
        }
        return byStatus;
    }

    public long count(DeliveryStatus status) {
        synchronized (state) {
            return total(counts, status, null);
        }
    }

    public long size() {
        synchronized (state) {
            return total(counts, null, null);
        }
    }

    /** Closes the store and deletes its directory; queries and writes after this fail, counts keep their last values. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.close();
            } finally {
                // Even when the store did not close cleanly: its files are of no use to anyone once this index is closed.
                closeQuietly(writes, options, filter, cache);
                deleteTree(directory);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---- queries

    private interface Query<T> {
        T run(ReadOptions read, Map<String, long[]> countsNow);
    }

    private <T> T query(Function<ReadOptions, T> body) {
        return query((read, countsNow) -> body.apply(read));
    }

    /** Runs {@code body} on one snapshot of the store, with a copy of the counts of the same moment. */
    private <T> T query(Query<T> body) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            Snapshot snapshot;
            Map<String, long[]> countsNow = new HashMap<>();
            synchronized (state) {
                snapshot = db.getSnapshot();
                counts.forEach((endpoint, byStatus) -> countsNow.put(endpoint, byStatus.clone()));
            }
            try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
                return body.run(read, countsNow);
            } finally {
                db.releaseSnapshot(snapshot);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw OperatorException.unavailable("the ledger view is closed", null);
        }
    }

    /**
     * Calls {@code visit} with each key that starts with {@code prefix}, in order, from the first after
     * {@code prefix + after} (or from the first), while it returns true.
     */
    private void scan(ReadOptions snapshot, byte[] prefix, byte[] after, Predicate<byte[]> visit) {
        byte[] upper = successor(prefix);
        try (Slice bound = upper == null ? null : new Slice(upper);
                ReadOptions read = new ReadOptions().setSnapshot(snapshot.snapshot())) {
            if (bound != null) {
                read.setIterateUpperBound(bound);
            }
            try (RocksIterator it = db.newIterator(read)) {
                // prefix + after + 0 is the first key after prefix + after.
                it.seek(after == null ? prefix : concat(prefix, after, new byte[] {0}));
                for (; it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (!startsWith(key, prefix) || !visit.test(key)) {
                        break;
                    }
                }
                it.status();
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot read the ledger view's store in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    private List<DeliveryRecord> loadAll(ReadOptions read, byte[] prefix, boolean withPayload) {
        List<DeliveryRecord> records = new ArrayList<>();
        scan(read, prefix, null, key -> {
            DeliveryRecord record = load(read, idOf(key, prefix.length), withPayload);
            if (record != null) {
                records.add(record);
            }
            return true;
        });
        return records;
    }

    private DeliveryRecord load(ReadOptions read, String deliveryId, boolean withPayload) {
        try {
            byte[] bytes = db.get(read, key(RECORD, deliveryId));
            if (bytes == null) {
                return null;
            }
            DeliveryRecord record = readRecord(bytes);
            byte[] payload = withPayload ? db.get(read, key(PAYLOAD, deliveryId)) : null;
            return withPayload(record, payload == null ? null : Json.mapper().readTree(payload));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the ledger view's store in " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the payload of delivery " + deliveryId + ": " + e.getMessage(), e);
        }
    }

    private DeliveryRecord readRecord(byte[] bytes) {
        return deserializer.deserialize(null, bytes);
    }

    private static DeliveryRecord withPayload(DeliveryRecord r, JsonNode payload) {
        return new DeliveryRecord(r.deliveryId(), r.endpoint(), r.idempotencyKey(), r.eventType(), r.appointmentId(), r.status(),
                r.attempts(), r.nextAttemptAt(), r.lastResponseCode(), r.lastError(), r.responseExcerpt(), r.reason(), r.createdAt(),
                r.updatedAt(), payload);
    }

    // ---- counts

    private void count(DeliveryRecord record, int delta) {
        long[] byStatus = counts.computeIfAbsent(record.endpointName(), e -> new long[STATUSES.length]);
        byStatus[record.status().ordinal()] += delta;
        if (Arrays.stream(byStatus).allMatch(n -> n == 0)) {
            counts.remove(record.endpointName());
        }
    }

    private static long total(Map<String, long[]> counts, DeliveryStatus status, String endpoint) {
        Stream<long[]> rows = endpoint == null ? counts.values().stream() : Stream.ofNullable(counts.get(endpoint));
        return rows.mapToLong(byStatus -> status == null ? Arrays.stream(byStatus).sum() : byStatus[status.ordinal()]).sum();
    }

    // ---- keys

    /** Every index entry of {@code record}, stored under {@code deliveryId}. */
    private static List<byte[]> indexKeys(String deliveryId, DeliveryRecord record) {
        byte[] position = concat(time(record.updatedAt()), deliveryId.getBytes(UTF_8));
        byte status = (byte) record.status().ordinal();
        List<byte[]> keys = new ArrayList<>(6);
        keys.add(concat(new byte[] {BY_TIME}, position));
        keys.add(concat(new byte[] {BY_STATUS, status}, position));
        keys.add(concat(prefix(BY_ENDPOINT, record.endpointName()), position));
        keys.add(concat(prefix(BY_ENDPOINT_STATUS, record.endpointName()), new byte[] {status}, position));
        keys.add(concat(prefix(BY_KEY, record.idempotencyKey()), position));
        if (record.appointmentId() != null) {
            keys.add(concat(prefix(BY_APPOINTMENT, record.appointmentId()), position));
        }
        return keys;
    }

    /** {@code updated_at} (none: the epoch) as 12 bytes whose unsigned order is newest first. */
    private static byte[] time(Instant updatedAt) {
        Instant at = updatedAt == null ? Instant.EPOCH : updatedAt;
        return ByteBuffer.allocate(TIME_BYTES).putLong(~(at.getEpochSecond() ^ Long.MIN_VALUE)).putInt(~at.getNano()).array();
    }

    private static byte[] key(byte kind, String id) {
        return concat(new byte[] {kind}, id.getBytes(UTF_8));
    }

    private static byte[] prefix(byte kind, String value) {
        return concat(new byte[] {kind}, value.getBytes(UTF_8), new byte[] {SEPARATOR});
    }

    private static String idOf(byte[] key, int prefixLength) {
        int start = prefixLength + TIME_BYTES;
        return new String(key, start, key.length - start, UTF_8);
    }

    static String encodeCursor(byte[] position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position);
    }

    private static byte[] decodeCursor(String cursor) {
        byte[] position;
        try {
            position = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            position = null;
        }
        if (position == null || position.length <= TIME_BYTES) {
            throw new IllegalArgumentException("not a cursor of this ledger view: '" + cursor + "' (use the 'next' of a previous page)");
        }
        return position;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    /** The first key after every key that starts with {@code prefix}; null when there is none. */
    private static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] next = Arrays.copyOf(prefix, i + 1);
                next[i]++;
                return next;
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    // ---- directories

    private static String ownerLine(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("-");
    }

    /**
     * Deletes the directories of views whose process is gone (it was killed before it could close): the process named
     * in the directory's owner file no longer runs (the same pid started at another time is another process), or, without
     * a readable owner file, the directory is older than a day.
     */
    static void deleteLeftovers(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(child -> child.getFileName().toString().startsWith(DIRECTORY_PREFIX) && Files.isDirectory(child))
                    .filter(LedgerIndex::abandoned)
                    .forEach(child -> {
                        LOG.info("deleting {}, left by a ledger view that did not close", child);
                        deleteTree(child);
                    });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot look for leftover ledger views in {}: {}", parent, e.toString());
        }
    }

    private static boolean abandoned(Path directory) {
        try {
            String[] owner = Files.readString(directory.resolve(OWNER_FILE)).strip().split(" ");
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
            return process.isEmpty() || (owner.length > 1 && !owner[1].equals("-") && !ownerLine(process.get()).equals(owner[0] + " " + owner[1]));
        } catch (IOException | RuntimeException unreadable) {
            try {
                return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(LEFTOVER_AGE));
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("cannot release a native resource of the ledger view: {}", e.toString());
            }
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete the ledger view's directory {}: {}", directory, e.toString());
        }
    }
}
