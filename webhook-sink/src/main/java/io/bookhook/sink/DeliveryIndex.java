package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bookhook.schemas.JsonSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The sink's local copy of the committed delivery index, on disk (RocksDB), so memory does not grow with the number
 * of deliveries ever made. It holds each delivery's latest {@link IndexEntry}; a marker per waiting delivery, ordered by
 * endpoint, partition and creation (so the waiting deliveries of an endpoint's partition are read back in the order
 * they were made, a batch at a time, without a scan of everything); and per partition the index-topic offset it has
 * read up to, so a restart reads only what it has not seen; and a marker per final delivery whose ledger record still
 * carries its payload, ordered by partition and since when, so the payloads past their retention are found without a
 * scan of everything. Only committed entries are ever applied: it is what the
 * index topic says, never ahead of it.
 */
final class DeliveryIndex implements DeliveryLookup, AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private static final byte ENTRY = 'e';
    private static final byte WAITING = 'o';
    private static final byte POSITION = 'p';
    private static final byte PAYLOAD_KEPT = 'r';

    private final Path directory;
    private final Options options;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final WriteOptions writes;
    private final RocksDB db;
    private final Serializer<IndexEntry> serializer = JsonSerde.of(IndexEntry.class).serializer();
    private final Deserializer<IndexEntry> deserializer = JsonSerde.of(IndexEntry.class).deserializer();

    private DeliveryIndex(Path directory, Options options, LRUCache cache, BloomFilter filter, WriteOptions writes, RocksDB db) {
        this.directory = directory;
        this.options = options;
        this.cache = cache;
        this.filter = filter;
        this.writes = writes;
        this.db = db;
    }

    /** Opens (or creates) the store in {@code directory}; small memtables and a small block cache, so it stays modest. */
    static DeliveryIndex open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the delivery index directory " + directory, e);
        }
        LRUCache cache = new LRUCache(16L * 1024 * 1024);
        BloomFilter filter = new BloomFilter(10, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                // Most lookups are for deliveries never seen (every new event): a Bloom filter answers those from memory.
                .setFilterPolicy(filter);
        Options options = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setWriteBufferSize(8L * 1024 * 1024)
                .setMaxWriteBufferNumber(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setMaxOpenFiles(256);
        // No write-ahead log: after a crash the store is an older, consistent prefix (entries and positions are written
        // in one batch), and restoring reads the index topic from that older position.
        WriteOptions writes = new WriteOptions().setDisableWAL(true);
        try {
            return new DeliveryIndex(directory, options, cache, filter, writes, RocksDB.open(options, directory.toString()));
        } catch (RocksDBException e) {
            options.close();
            cache.close();
            filter.close();
            writes.close();
            throw new IllegalStateException("cannot open the delivery index in " + directory + ": " + e.getMessage()
                    + " (is another sink with the same BOOKHOOK_SINK_INSTANCE_ID running on this host?)", e);
        }
    }

    @Override
    public Optional<IndexEntry> get(String deliveryId) {
        try {
            byte[] value = db.get(key(ENTRY, -1, deliveryId));
            return value == null ? Optional.empty() : Optional.of(deserializer.deserialize(null, value));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the delivery index in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} deliveries to {@code endpoint} of {@code partition} that wait (pending or retrying), oldest
     * first, leaving out those {@code skip} says are in memory already.
     */
    @Override
    public List<IndexEntry> waiting(String endpoint, int partition, int limit, Predicate<String> skip) {
        byte[] prefix = waitingPrefix(endpoint, partition);
        List<IndexEntry> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix) && found.size() < limit; it.next()) {
                byte[] key = it.key();
                int idStart = prefix.length + Long.BYTES + 1;
                String deliveryId = new String(key, idStart, key.length - idStart, UTF_8);
                if (!skip.test(deliveryId)) {
                    get(deliveryId).filter(IndexEntry::waiting).ifPresent(found::add);
                }
            }
        }
        return found;
    }

    /**
     * Up to {@code limit} final deliveries of {@code partition} whose ledger record has carried its payload since before
     * {@code cutoff}, longest first. A marker whose entry has moved on (its payload gone, or retried since) is removed
     * as it is passed: the marker is this store's own bookkeeping, rebuilt from the entries when the store is restored.
     */
    @Override
    public List<IndexEntry> payloadsKeptBefore(int partition, Instant cutoff, int limit) {
        byte[] prefix = ByteBuffer.allocate(1 + Integer.BYTES).put(PAYLOAD_KEPT).putInt(partition).array();
        List<IndexEntry> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix) && found.size() < limit; it.next()) {
                byte[] key = it.key();
                long since = ByteBuffer.wrap(key, prefix.length, Long.BYTES).getLong();
                if (since >= cutoff.toEpochMilli()) {
                    break;
                }
                String deliveryId = new String(key, prefix.length + Long.BYTES, key.length - prefix.length - Long.BYTES, UTF_8);
                Optional<IndexEntry> entry = get(deliveryId).filter(e -> e.payloadKeptSince() != null && e.payloadKeptSince().toEpochMilli() == since);
                if (entry.isPresent()) {
                    found.add(entry.get());
                } else {
                    db.delete(writes, key);
                }
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the delivery index in " + directory + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** The index-topic offset of {@code partition} read up to, or -1 when nothing was read. */
    long position(int partition) {
        try {
            byte[] value = db.get(key(POSITION, partition, ""));
            return value == null ? -1 : ByteBuffer.wrap(value).getLong();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the delivery index in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** One committed entry as its bytes in the index topic, with the fields the store orders waiting deliveries by. */
    record Stored(String deliveryId, byte[] json, IndexEntry.Order order) {
    }

    /** Applies committed entries of {@code partition} in order, and records that the topic was read up to {@code nextPosition}. */
    void apply(int partition, List<IndexEntry> entries, long nextPosition) {
        applyStored(partition, entries.stream()
                .map(entry -> new Stored(entry.deliveryId(), serializer.serialize(null, entry), entry.order())).toList(), nextPosition);
    }

    /**
     * Like {@link #apply}, for entries kept as the bytes they were read as (what restoring does). A delivery keeps its
     * creation time while it waits and when it ends, so its final entry finds the marker its waiting one made.
     */
    void applyStored(int partition, List<Stored> entries, long nextPosition) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Stored entry : entries) {
                batch.put(key(ENTRY, -1, entry.deliveryId()), entry.json());
                byte[] marker = waitingKey(entry.order().endpoint(), partition, entry.order(), entry.deliveryId());
                if (entry.order().waiting()) {
                    batch.put(marker, new byte[0]);
                } else {
                    batch.delete(marker);
                }
                if (entry.order().payloadKeptSinceMillis() > 0) {
                    batch.put(payloadKeptKey(partition, entry.order().payloadKeptSinceMillis(), entry.deliveryId()), new byte[0]);
                }
            }
            batch.put(key(POSITION, partition, ""), ByteBuffer.allocate(Long.BYTES).putLong(nextPosition).array());
            db.write(writes, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write the delivery index in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static byte[] waitingPrefix(String endpoint, int partition) {
        byte[] name = endpoint.getBytes(UTF_8);
        return ByteBuffer.allocate(1 + name.length + 1 + Integer.BYTES).put(WAITING).put(name).put((byte) 0).putInt(partition).array();
    }

    private static byte[] waitingKey(String endpoint, int partition, IndexEntry.Order order, String deliveryId) {
        byte[] prefix = waitingPrefix(endpoint, partition);
        byte[] id = deliveryId.getBytes(UTF_8);
        return ByteBuffer.allocate(prefix.length + Long.BYTES + 1 + id.length).put(prefix).putLong(order.createdAtMillis())
                .put((byte) order.eventTypeOrdinal()).put(id).array();
    }

    private static byte[] payloadKeptKey(int partition, long sinceMillis, String deliveryId) {
        byte[] id = deliveryId.getBytes(UTF_8);
        return ByteBuffer.allocate(1 + Integer.BYTES + Long.BYTES + id.length).put(PAYLOAD_KEPT).putInt(partition).putLong(sinceMillis).put(id)
                .array();
    }

    private static byte[] key(byte kind, int partition, String deliveryId) {
        byte[] id = deliveryId.getBytes(UTF_8);
        ByteBuffer key = ByteBuffer.allocate(1 + (partition < 0 ? 0 : Integer.BYTES) + id.length).put(kind);
        if (partition >= 0) {
            key.putInt(partition);
        }
        return key.put(id).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        db.close();
        writes.close();
        options.close();
        cache.close();
        filter.close();
    }
}
