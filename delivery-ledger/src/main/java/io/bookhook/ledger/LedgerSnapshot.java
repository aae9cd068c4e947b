package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * One snapshot of the ledger view's store, and the counts of the same moment: what one query reads. Valid only
 * inside {@link LedgerStore#read}.
 */
final class LedgerSnapshot {

    private final RocksDB db;
    private final ReadOptions snapshot;
    private final LedgerCounts counts;
    private final Path directory;

    LedgerSnapshot(RocksDB db, ReadOptions snapshot, LedgerCounts counts, Path directory) {
        this.db = db;
        this.snapshot = snapshot;
        this.counts = counts;
        this.directory = directory;
    }

    LedgerCounts counts() {
        return counts;
    }

    /**
     * Calls {@code visit} with each key that starts with {@code prefix}, in order, from the first after
     * {@code prefix + after} (or from the first), while it returns true.
     */
    void scan(byte[] prefix, byte[] after, Predicate<byte[]> visit) {
        byte[] upper = LedgerKeys.successor(prefix);
        try (Slice bound = upper == null ? null : new Slice(upper);
                ReadOptions read = new ReadOptions().setSnapshot(snapshot.snapshot())) {
            if (bound != null) {
                read.setIterateUpperBound(bound);
            }
            try (RocksIterator it = db.newIterator(read)) {
                it.seek(after == null ? prefix : LedgerKeys.after(prefix, after));
                for (; it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (!LedgerKeys.startsWith(key, prefix) || !visit.test(key)) {
                        break;
                    }
                }
                it.status();
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot read the ledger view's store in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /** The records of every index entry under {@code prefix}, in order. */
    List<DeliveryRecord> loadAll(byte[] prefix, boolean withPayload) {
        List<DeliveryRecord> records = new ArrayList<>();
        scan(prefix, null, key -> {
            DeliveryRecord record = load(LedgerKeys.idOf(key, prefix.length), withPayload);
            if (record != null) {
                records.add(record);
            }
            return true;
        });
        return records;
    }

    /** The record of {@code deliveryId}, with its payload or without; null when there is none. */
    DeliveryRecord load(String deliveryId, boolean withPayload) {
        try {
            byte[] bytes = db.get(snapshot, LedgerKeys.record(deliveryId));
            if (bytes == null) {
                return null;
            }
            byte[] payload = withPayload ? db.get(snapshot, LedgerKeys.payload(deliveryId)) : null;
            return StoredRecords.decode(bytes, payload == null ? null : Json.mapper().readTree(payload));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the ledger view's store in " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the payload of delivery " + deliveryId + ": " + e.getMessage(), e);
        }
    }
}
