package io.bookhook.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.IdempotencyKey;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * One event (or operator request item) to one endpoint, as the engine works it. Mutable, and touched only by the
 * consumer thread. Its body and payload may be dropped from memory while it waits durably (they are in the delivery
 * index then) and are loaded back when its next attempt starts.
 */
final class Delivery {

    enum State {
        /** Behind an earlier delivery of the same appointment to the same endpoint. */
        QUEUED,
        /** First of its appointment, waiting for a free slot or a closed circuit of its endpoint. */
        READY,
        IN_FLIGHT,
        /** Waiting for its next attempt's due time. */
        WAITING,
        /** Delivered or failed: its final records are written. */
        DONE,
        /** Given up by this sink (its partition went elsewhere); its next owner resumes or re-reads it. */
        DROPPED
    }

    final String id;
    final String endpoint;
    final IdempotencyKey key;
    final int partition;
    final DeliveryReason reason;
    final boolean singleAttempt;
    final Instant createdAt;

    State state;
    byte[] body;
    JsonNode payload;
    int attempts;
    Instant nextAttemptAt;
    AttemptResult last;
    /** The input record this delivery keeps open until it is final or parked; null once released. */
    TopicPartition source;
    long sourceOffset;
    /** Its waiting state is (or is about to be) written to the delivery index. */
    boolean parked;
    /** The drain that wrote its latest waiting state; its body may leave memory once that drain committed. */
    long parkedInDrain;
    /** Delivered or failed, once {@link State#DONE}. */
    DeliveryStatus outcome;
    /** When derive emitted its event (epoch ms, from the event's header); 0 when unknown (requests, resumed deliveries). */
    long derivedAtMillis;

    Delivery(String id, String endpoint, IdempotencyKey key, int partition, DeliveryReason reason, boolean singleAttempt,
             Instant createdAt, byte[] body, JsonNode payload, int attempts) {
        this.id = id;
        this.endpoint = endpoint;
        this.key = key;
        this.partition = partition;
        this.reason = reason;
        this.singleAttempt = singleAttempt;
        this.createdAt = createdAt;
        this.body = body;
        this.payload = payload;
        this.attempts = attempts;
    }

    boolean inMemory() {
        return body != null;
    }

    /** Retrying once a next attempt is scheduled; pending until then (new, or queued behind its appointment). */
    DeliveryStatus waitingStatus() {
        return nextAttemptAt != null ? DeliveryStatus.RETRYING : DeliveryStatus.PENDING;
    }

    /** The ledger record of its current state; the payload must be in memory. */
    DeliveryRecord ledgerRecord(DeliveryStatus status, Instant now) {
        return new DeliveryRecord(id, endpoint, key.toString(), key.eventType(), key.appointmentId(), status, attempts,
                status == DeliveryStatus.RETRYING ? nextAttemptAt : null, last == null ? null : last.statusCode(),
                last == null ? null : last.error(), last == null ? null : last.responseExcerpt(), reason, createdAt, now, payload);
    }

    /** The delivery index entry of its current waiting state, with the body to post. */
    IndexEntry waitingIndexEntry(DeliveryStatus status) {
        return new IndexEntry(id, endpoint, key.toString(), status, attempts, status == DeliveryStatus.RETRYING ? nextAttemptAt : null,
                reason, singleAttempt, createdAt, body);
    }

    /**
     * The delivery index entry of its final state {@code ledgerRecord}: no body, but that ledger record without its
     * payload, which the sink writes in its place once the payload has aged out.
     */
    IndexEntry finalIndexEntry(DeliveryRecord ledgerRecord) {
        boolean keptPayload = ledgerRecord.hasPayload();
        return new IndexEntry(id, endpoint, key.toString(), ledgerRecord.status(), attempts, null, reason, singleAttempt, createdAt, null,
                keptPayload ? ledgerRecord.updatedAt() : null, keptPayload ? ledgerRecord.withoutPayload() : null);
    }

    @Override
    public String toString() {
        return "Delivery[" + id + ", " + endpoint + ", " + key + ", " + state + ", attempts=" + attempts + "]";
    }
}
