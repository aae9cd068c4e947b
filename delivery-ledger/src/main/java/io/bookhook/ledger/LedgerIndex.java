package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The latest ledger record per delivery id, indexed by idempotency key, appointment and status. Pure
 * in-memory state with no Kafka in it, so its rules are tested with plain records; {@link LedgerView} feeds it.
 * One writer (the view's consumer thread) and many readers (CLI, HTTP threads): a read-write lock keeps every
 * query consistent with one moment of the ledger.
 */
public final class LedgerIndex {

    /** Newest activity first: what an operator looks for. */
    private static final Comparator<DeliveryRecord> NEWEST_FIRST = Comparator
            .comparing((DeliveryRecord r) -> r.updatedAt() == null ? java.time.Instant.EPOCH : r.updatedAt()).reversed()
            .thenComparing(DeliveryRecord::deliveryId);

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, DeliveryRecord> byDeliveryId = new LinkedHashMap<>();
    private final Map<String, Map<String, DeliveryRecord>> byIdempotencyKey = new HashMap<>();
    private final Map<String, Map<String, DeliveryRecord>> byAppointment = new HashMap<>();
    private final Map<DeliveryStatus, Integer> countByStatus = new EnumMap<>(DeliveryStatus.class);

    /** Applies one ledger record; a null value is a compaction tombstone and forgets the delivery. */
    public void apply(String deliveryId, DeliveryRecord value) {
        lock.writeLock().lock();
        try {
            DeliveryRecord previous = byDeliveryId.remove(deliveryId);
            if (previous != null) {
                unindex(previous);
            }
            if (value != null) {
                byDeliveryId.put(deliveryId, value);
                byIdempotencyKey.computeIfAbsent(value.idempotencyKey(), k -> new HashMap<>()).put(deliveryId, value);
                if (value.appointmentId() != null) {
                    byAppointment.computeIfAbsent(value.appointmentId(), k -> new HashMap<>()).put(deliveryId, value);
                }
                countByStatus.merge(value.status(), 1, Integer::sum);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unindex(DeliveryRecord previous) {
        removeFrom(byIdempotencyKey, previous.idempotencyKey(), previous.deliveryId());
        if (previous.appointmentId() != null) {
            removeFrom(byAppointment, previous.appointmentId(), previous.deliveryId());
        }
        countByStatus.merge(previous.status(), -1, Integer::sum);
    }

    private static void removeFrom(Map<String, Map<String, DeliveryRecord>> index, String key, String deliveryId) {
        Map<String, DeliveryRecord> entries = index.get(key);
        if (entries != null) {
            entries.remove(deliveryId);
            if (entries.isEmpty()) {
                index.remove(key);
            }
        }
    }

    public Optional<DeliveryRecord> byDeliveryId(String deliveryId) {
        return read(() -> Optional.ofNullable(byDeliveryId.get(deliveryId)));
    }

    /**
     * The delivery an operator means: the exact id, or else the one delivery whose id starts with {@code idOrPrefix}
     * (the terminal table shows 8 characters). Empty when nothing matches; an {@code INVALID} {@link OperatorException}
     * when several do.
     */
    public Optional<DeliveryRecord> resolve(String idOrPrefix) {
        return read(() -> {
            DeliveryRecord exact = byDeliveryId.get(idOrPrefix);
            if (exact != null || idOrPrefix.isEmpty()) {
                return Optional.ofNullable(exact);
            }
            List<DeliveryRecord> matches = byDeliveryId.values().stream().filter(r -> r.deliveryId().startsWith(idOrPrefix)).toList();
            if (matches.size() > 1) {
                throw OperatorException.invalid("'" + idOrPrefix + "' matches " + matches.size() + " deliveries; give more of the delivery id");
            }
            return matches.stream().findFirst();
        });
    }

    /** Every delivery under one idempotency key: the event's own and any resends of it, newest first. */
    public List<DeliveryRecord> byIdempotencyKey(String idempotencyKey) {
        return read(() -> sorted(byIdempotencyKey.getOrDefault(idempotencyKey, Map.of()).values()));
    }

    public List<DeliveryRecord> byAppointment(String appointmentId) {
        return read(() -> sorted(byAppointment.getOrDefault(appointmentId, Map.of()).values()));
    }

    /** Deliveries matching both filters (a null filter matches everything), newest first. */
    public List<DeliveryRecord> find(DeliveryStatus status, String appointmentId) {
        return find(status, appointmentId, null);
    }

    /** Deliveries matching every filter (a null filter matches everything), newest first. */
    public List<DeliveryRecord> find(DeliveryStatus status, String appointmentId, String endpoint) {
        return read(() -> {
            var source = appointmentId == null ? byDeliveryId.values() : byAppointment.getOrDefault(appointmentId, Map.of()).values();
            return sorted(source.stream().filter(r -> status == null || r.status() == status)
                    .filter(r -> endpoint == null || r.endpointName().equals(endpoint)).toList());
        });
    }

    /** Deliveries by endpoint, then by status. */
    public Map<String, Map<DeliveryStatus, Long>> countsByEndpoint() {
        return read(() -> {
            Map<String, Map<DeliveryStatus, Long>> counts = new java.util.TreeMap<>();
            for (DeliveryRecord r : byDeliveryId.values()) {
                counts.computeIfAbsent(r.endpointName(), e -> new EnumMap<>(DeliveryStatus.class)).merge(r.status(), 1L, Long::sum);
            }
            return counts;
        });
    }

    public int count(DeliveryStatus status) {
        return read(() -> countByStatus.getOrDefault(status, 0));
    }

    public int size() {
        return read(byDeliveryId::size);
    }

    private static List<DeliveryRecord> sorted(java.util.Collection<DeliveryRecord> records) {
        List<DeliveryRecord> list = new ArrayList<>(records);
        list.sort(NEWEST_FIRST);
        return list;
    }

    private <T> T read(java.util.function.Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
