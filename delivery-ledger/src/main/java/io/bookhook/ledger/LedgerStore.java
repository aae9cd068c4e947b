package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger view's RocksDB store (layout: {@link LedgerKeys}) and its counts: applying a record reads the previous one
 * and replaces it, its payload and its index entries in one write batch, together with the counts; every read sees
 * one snapshot, taken together with a copy of the counts, so a page and its total are of the same moment.
 *
 * <p>One writer (writes are serialized all the same) and many readers; {@link #close()} waits for the reads and
 * writes under way, and they refuse once it is closed. Closing deletes the store's directory.
 */
final class LedgerStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);

    private final Path directory;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;

    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Held for a whole {@link #apply}: it reads the previous record before it replaces its index entries, so two writers at
     * once would each delete the entries of the same previous record and leave one's new entries behind.
     */
    private final Object writer = new Object();
    /** Its monitor also makes a write batch and the counts it changes one step for a read's snapshot. */
    private final LedgerCounts counts = new LedgerCounts();

    private LedgerStore(Path directory, LRUCache cache, BloomFilter filter, Options options, WriteOptions writes, RocksDB db) {
        this.directory = directory;
        this.cache = cache;
        this.filter = filter;
        this.options = options;
        this.writes = writes;
        this.db = db;
    }

    /** Opens a new, empty store in {@code directory}; when that fails, the directory is deleted. */
    static LedgerStore open(Path directory) {
        LRUCache cache = null;
        BloomFilter filter = null;
        Options options = null;
        WriteOptions writes = null;
        boolean opened = false;
        try {
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
            LedgerStore store = new LedgerStore(directory, cache, filter, options, writes,
                    RocksDB.open(options, directory.resolve("rocksdb").toString()));
            opened = true;
            return store;
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the ledger view's store in " + directory + ": " + e.getMessage(), e);
        } finally {
            if (!opened) {
                // Whatever failed (even an Error such as a missing native library), leave no directory and no native handle behind.
                closeQuietly(writes, options, filter, cache);
                LedgerDirectory.delete(directory);
            }
        }
    }

    Path directory() {
        return directory;
    }

    /** The counts now (they keep their last values after close). */
    LedgerCounts counts() {
        return counts;
    }

    /** Replaces the previous record of {@code deliveryId}, its payload and its index entries, and the counts, in one step. */
    void apply(String deliveryId, DeliveryRecord value) {
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

    private void replace(String deliveryId, DeliveryRecord value) throws RocksDBException, IOException {
        byte[] recordKey = LedgerKeys.record(deliveryId);
        byte[] previousBytes = db.get(recordKey);
        DeliveryRecord previous = previousBytes == null ? null : StoredRecords.decode(previousBytes, null);
        try (WriteBatch batch = new WriteBatch()) {
            if (previous != null) {
                for (byte[] entry : LedgerKeys.indexKeys(deliveryId, previous)) {
                    batch.delete(entry);
                }
            }
            if (value == null) {
                batch.delete(recordKey);
                batch.delete(LedgerKeys.payload(deliveryId));
            } else {
                batch.put(recordKey, StoredRecords.encodeWithoutPayload(value));
                if (value.hasPayload()) {
                    batch.put(LedgerKeys.payload(deliveryId), Json.mapper().writeValueAsBytes(value.payload()));
                } else {
                    batch.delete(LedgerKeys.payload(deliveryId));
                }
                for (byte[] entry : LedgerKeys.indexKeys(deliveryId, value)) {
                    batch.put(entry, LedgerKeys.EMPTY);
                }
            }
            synchronized (counts) {
                db.write(writes, batch);
                if (previous != null) {
                    counts.add(previous, -1);
                }
                if (value != null) {
                    counts.add(value, +1);
                }
            }
        }
    }

    /** Runs {@code body} on one snapshot of the store, with a copy of the counts of the same moment. */
    <T> T read(Function<LedgerSnapshot, T> body) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            Snapshot snapshot;
            LedgerCounts countsNow;
            synchronized (counts) {
                snapshot = db.getSnapshot();
                countsNow = counts.copy();
            }
            try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
                return body.apply(new LedgerSnapshot(db, read, countsNow, directory));
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

    /** Closes the store and deletes its directory; reads and writes after this fail, counts keep their last values. */
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
                // Even when the store did not close cleanly: its files are of no use to anyone once this store is closed.
                closeQuietly(writes, options, filter, cache);
                LedgerDirectory.delete(directory);
            }
        } finally {
            lifecycle.writeLock().unlock();
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
}
