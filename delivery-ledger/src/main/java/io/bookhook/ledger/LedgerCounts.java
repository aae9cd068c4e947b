package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Deliveries by endpoint and status: what the ledger view keeps on the heap, bounded by the number of endpoints, never
 * by deliveries. Thread-safe; a caller that must change or copy the counts in one step with something else (a store
 * write, a snapshot) holds this object's monitor around both.
 */
final class LedgerCounts {

    private static final DeliveryStatus[] STATUSES = DeliveryStatus.values();

    /** By endpoint, by status ordinal. */
    private final Map<String, long[]> counts = new HashMap<>();

    /** The delivery of {@code record} is counted {@code delta} more times (+1 added, -1 replaced or forgotten). */
    synchronized void add(DeliveryRecord record, int delta) {
        long[] byStatus = counts.computeIfAbsent(record.endpointName(), e -> new long[STATUSES.length]);
        byStatus[record.status().ordinal()] += delta;
        if (Arrays.stream(byStatus).allMatch(n -> n == 0)) {
            counts.remove(record.endpointName());
        }
    }

    /** A copy of the counts now. */
    synchronized LedgerCounts copy() {
        LedgerCounts copy = new LedgerCounts();
        counts.forEach((endpoint, byStatus) -> copy.counts.put(endpoint, byStatus.clone()));
        return copy;
    }

    /** How many deliveries have {@code status} and are of {@code endpoint} (a null filter: any). */
    synchronized long total(DeliveryStatus status, String endpoint) {
        Stream<long[]> rows = endpoint == null ? counts.values().stream() : Stream.ofNullable(counts.get(endpoint));
        return rows.mapToLong(byStatus -> status == null ? Arrays.stream(byStatus).sum() : byStatus[status.ordinal()]).sum();
    }

    /** Deliveries by endpoint, then by status (statuses without deliveries left out). */
    synchronized Map<String, Map<DeliveryStatus, Long>> byEndpoint() {
        Map<String, Map<DeliveryStatus, Long>> byEndpoint = new TreeMap<>();
        counts.forEach((endpoint, byStatus) -> {
            Map<DeliveryStatus, Long> mine = new EnumMap<>(DeliveryStatus.class);
            for (DeliveryStatus status : STATUSES) {
                if (byStatus[status.ordinal()] > 0) {
                    mine.put(status, byStatus[status.ordinal()]);
                }
            }
            byEndpoint.put(endpoint, mine);
        });
        return byEndpoint;
    }

    /** Deliveries by status, every status included. */
    synchronized Map<DeliveryStatus, Long> byStatus() {
        Map<DeliveryStatus, Long> byStatus = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus status : STATUSES) {
            byStatus.put(status, total(status, null));
        }
        return byStatus;
    }
}
