package io.bookhook.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deliveries this sink holds: those not yet final (under way: in memory, or waiting with their body in the
 * delivery index), those final or spilled whose batch has not committed yet, and how many keep their body in memory.
 * It answers what the sink knows of a delivery id, from its own uncommitted state first, else from the index.
 */
final class HeldDeliveries {

    /** What this sink knows of a delivery that is not under way: from its own uncommitted outcome, else the index. */
    record Known(DeliveryStatus status, IndexEntry waiting, String endpoint, int attempts) {
    }

    private final DeliveryLookup index;
    private final Map<String, Delivery> underway = new HashMap<>();
    private final Map<String, Delivery> doneUncommitted = new HashMap<>();
    /** Spilled deliveries whose index entry has not committed yet: waiting, but not yet readable from the index. */
    private final Map<String, Delivery> spilledUncommitted = new HashMap<>();
    private int inMemory;

    HeldDeliveries(DeliveryLookup index) {
        this.index = index;
    }

    Delivery underway(String id) {
        return underway.get(id);
    }

    boolean isUnderway(String id) {
        return underway.containsKey(id);
    }

    /** Under way, or final here and not committed yet: not to be resumed from the index. */
    boolean isUnderwayOrDone(String id) {
        return underway.containsKey(id) || doneUncommitted.containsKey(id);
    }

    /** Anything this sink holds of {@code id}, spilled included: what a read-back of the index skips. */
    boolean holds(String id) {
        return isUnderwayOrDone(id) || spilledUncommitted.containsKey(id);
    }

    Known known(String id) {
        Delivery done = doneUncommitted.get(id);
        if (done != null) {
            return new Known(done.outcome, null, done.endpoint, done.attempts);
        }
        if (spilledUncommitted.containsKey(id)) {
            // Waiting in the index as soon as its batch commits; read back from there in its turn.
            return new Known(DeliveryStatus.PENDING, null, spilledUncommitted.get(id).endpoint, 0);
        }
        Optional<IndexEntry> entry = index.get(id);
        if (entry.isEmpty()) {
            return new Known(null, null, null, 0);
        }
        IndexEntry e = entry.get();
        return new Known(e.status(), e.waiting() ? e : null, e.endpoint(), e.attempts());
    }

    void add(Delivery d) {
        underway.put(d.id, d);
        if (d.inMemory()) {
            inMemory++;
        }
    }

    void spilled(Delivery d) {
        spilledUncommitted.put(d.id, d);
    }

    void done(Delivery d) {
        underway.remove(d.id);
        doneUncommitted.put(d.id, d);
        forgetBody(d);
    }

    void dropped(Delivery d) {
        underway.remove(d.id);
        forgetBody(d);
    }

    /** Its body leaves memory: it is final, dropped, or durable in the index. */
    void forgetBody(Delivery d) {
        if (d.inMemory()) {
            inMemory--;
        }
        d.body = null;
        d.payload = null;
    }

    /** Brings a waiting delivery's body back from the index for its attempt. */
    void loadBody(Delivery d) {
        if (d.inMemory()) {
            return;
        }
        IndexEntry entry = index.get(d.id).filter(e -> e.body() != null).orElseThrow(() -> new IllegalStateException(
                "the delivery index has no body for waiting delivery " + d.id + " (" + d.key + ")"));
        d.body = entry.body();
        d.payload = readTree(entry.body());
        inMemory++;
    }

    /** The deliveries of {@code partition} under way now (a copy: the caller may drop them). */
    List<Delivery> underway(int partition) {
        return underway.values().stream().filter(d -> d.partition == partition).toList();
    }

    int inFlight(int partition) {
        return (int) underway.values().stream().filter(d -> d.partition == partition && d.state == Delivery.State.IN_FLIGHT).count();
    }

    /** Forgets the uncommitted outcomes and spills of {@code partition}; its deliveries under way are dropped by the caller. */
    void forget(int partition) {
        doneUncommitted.values().removeIf(d -> d.partition == partition);
        spilledUncommitted.values().removeIf(d -> d.partition == partition);
    }

    /** The batch is committed: its final outcomes and spills are in the index, and parked deliveries may leave memory. */
    void committed(CommitBatch batch) {
        for (Delivery d : batch.done()) {
            doneUncommitted.remove(d.id, d);
        }
        for (Delivery d : batch.spilled()) {
            spilledUncommitted.remove(d.id, d);
        }
        for (Delivery d : batch.parked()) {
            boolean stillWaiting = d.state == Delivery.State.WAITING || d.state == Delivery.State.QUEUED;
            if (stillWaiting && d.parkedInDrain <= batch.number()) {
                forgetBody(d);
            }
        }
    }

    int underwayCount() {
        return underway.size();
    }

    int inMemory() {
        return inMemory;
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("a waiting delivery's body is not JSON", e);
        }
    }
}
