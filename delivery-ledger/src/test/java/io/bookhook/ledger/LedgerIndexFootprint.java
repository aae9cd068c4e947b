package io.bookhook.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Not a test: a measurement to run by hand. Fills a {@link LedgerIndex} with N deliveries as the sink writes them
 * (a {@code pending} record, then {@code delivered}, each with the event of {@code docs/webhook-payload-example.json}
 * as payload), then prints the heap in use after a full GC and the size of the index's directory: as written (memtables
 * flushed, so nothing is left out of the count) and once RocksDB has compacted away the replaced versions.
 *
 * <pre>
 * mvn -o -q -pl delivery-ledger test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -Xmx256m -cp delivery-ledger/target/test-classes:delivery-ledger/target/classes:$(cat delivery-ledger/target/test.classpath) \
 *     io.bookhook.ledger.LedgerIndexFootprint 10000 200000
 * </pre>
 */
public final class LedgerIndexFootprint {

    private LedgerIndexFootprint() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode payload = Json.mapper().readTree(Path.of("docs/webhook-payload-example.json").toFile());
        System.out.printf("%-11s %-21s %-21s %-22s %s%n", "deliveries", "heap after GC, empty", "heap after GC, full", "directory as written",
                "directory compacted (per delivery)");
        for (String arg : args.length == 0 ? new String[] {"10000", "200000"} : args) {
            measure(Integer.parseInt(arg), payload);
        }
    }

    private static void measure(int deliveries, JsonNode payload) throws ReflectiveOperationException, RocksDBException {
        try (LedgerIndex index = LedgerIndex.create()) {
            long before = heapAfterGc();
            Instant t0 = Instant.parse("2026-11-27T09:00:00Z");
            for (int i = 0; i < deliveries; i++) {
                IdempotencyKey key = IdempotencyKey.of(Integer.toString(100_000 + i), i % 2 == 0 ? EventType.CREATED : EventType.CONFIRMED);
                String id = UUID.nameUUIDFromBytes(key.toString().getBytes()).toString();
                DeliveryRecord pending = DeliveryRecord.pending(id, "make", key, DeliveryReason.EVENT, payload, t0.plusMillis(i));
                index.apply(id, pending);
                index.apply(id, pending.next(DeliveryStatus.DELIVERED, 1, 200, null, "ok", t0.plusMillis(i + 40)));
            }
            long after = heapAfterGc();
            // The store is private to the index: reached by reflection here rather than opened up for a measurement.
            Field field = LedgerIndex.class.getDeclaredField("db");
            field.setAccessible(true);
            RocksDB db = (RocksDB) field.get(index);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            long written = directorySize(index.directory());
            db.compactRange();
            long compacted = directorySize(index.directory());
            System.out.printf("%-11d %-21s %-21s %-22s %s (%d bytes)%n", deliveries, mib(before), mib(after), mib(written), mib(compacted),
                    compacted / deliveries);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directorySize(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
