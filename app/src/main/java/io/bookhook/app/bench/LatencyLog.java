package io.bookhook.app.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every answer the bench's receiver gave, 32 bytes each, in the order given, kept off the Java heap (direct buffers):
 * the bench measures the pipeline's live heap in the same JVM, and 200,000 answers must not show up in it. Bodies
 * are never kept.
 *
 * <p>It also knows which webhooks were delivered already (a bit per appointment and event type, counted from the
 * bench's first appointment id), so it marks each 2xx as the webhook's first delivery or a duplicate as it records it.
 * Thread-safe: the receiver's threads append while the bench reads counts.
 */
public final class LatencyLog {

    /** An appointment id the receiver could not read from {@code X-Idempotency-Key}. */
    public static final long UNKNOWN_ID = -1;
    /** An {@code occurred_at} the receiver could not read from the body. */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    static final int RECORD_BYTES = 32;
    private static final int RECORDS_PER_CHUNK = 32_768;

    /** One answer: the webhook's key, its commit time, when the receiver answered and with what. */
    public record Answer(long appointmentId, EventKind kind, long occurredAtMs, long answeredAtMs, int status, int attempt,
                         boolean firstDelivery) {

        public boolean delivered() {
            return status >= 200 && status < 300;
        }

        /** Commit→receive of a first delivery, in ms; meaningless for other answers. */
        public long latencyMs() {
            return answeredAtMs - occurredAtMs;
        }

        public String idempotencyKey() {
            return appointmentId == UNKNOWN_ID ? "?" : "appointment:" + appointmentId + ":" + kind.wireName();
        }
    }

    /** The event type of an idempotency key, as one byte. */
    public enum EventKind {
        CREATED, CONFIRMED, UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final long firstAppointmentId;
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private final BitSet delivered = new BitSet();
    private int size;
    private int firstDeliveries;
    private int duplicates;

    /** {@code firstAppointmentId}: the lowest id the bench's rows can have; deliveries below it are only recorded. */
    public LatencyLog(long firstAppointmentId) {
        this.firstAppointmentId = firstAppointmentId;
    }

    /** The bit of a webhook in per-appointment bit sets, or -1 when the id is not one the bench can have written. */
    public static int bit(long firstAppointmentId, long appointmentId, EventKind kind) {
        long offset = appointmentId - firstAppointmentId;
        if (appointmentId == UNKNOWN_ID || kind == EventKind.UNKNOWN || offset < 0 || offset >= Integer.MAX_VALUE / 2) {
            return -1;
        }
        return (int) (offset * 2 + kind.ordinal());
    }

    public long firstAppointmentId() {
        return firstAppointmentId;
    }

    /** Records one answer; a 2xx is the webhook's first delivery unless one was recorded before for the same key. */
    public synchronized Answer append(long appointmentId, EventKind kind, long occurredAtMs, long answeredAtMs, int status, int attempt) {
        boolean ok = status >= 200 && status < 300;
        boolean first = false;
        if (ok) {
            int bit = bit(firstAppointmentId, appointmentId, kind);
            if (bit < 0) {
                first = true;
            } else if (delivered.get(bit)) {
                duplicates++;
            } else {
                delivered.set(bit);
                first = true;
            }
            if (first) {
                firstDeliveries++;
            }
        }
        int chunk = size / RECORDS_PER_CHUNK;
        if (chunk == chunks.size()) {
            chunks.add(ByteBuffer.allocateDirect(RECORDS_PER_CHUNK * RECORD_BYTES));
        }
        int at = (size % RECORDS_PER_CHUNK) * RECORD_BYTES;
        ByteBuffer buffer = chunks.get(chunk);
        buffer.putLong(at, appointmentId);
        buffer.putLong(at + 8, occurredAtMs);
        buffer.putLong(at + 16, answeredAtMs);
        buffer.putShort(at + 24, (short) status);
        buffer.putShort(at + 26, (short) Math.min(Short.MAX_VALUE, Math.max(0, attempt)));
        buffer.put(at + 28, (byte) kind.ordinal());
        buffer.put(at + 29, (byte) (first ? 1 : 0));
        size++;
        return new Answer(appointmentId, kind, occurredAtMs, answeredAtMs, status, attempt, first);
    }

    /** Answers recorded so far. */
    public synchronized int size() {
        return size;
    }

    /** Webhooks delivered at least once. */
    public synchronized int firstDeliveries() {
        return firstDeliveries;
    }

    /** 2xx answers to a webhook that had been delivered already. */
    public synchronized int duplicates() {
        return duplicates;
    }

    /** How many of the webhooks whose bits are set in {@code expected} were delivered. */
    public synchronized int deliveredAmong(BitSet expected) {
        BitSet both = (BitSet) expected.clone();
        both.and(delivered);
        return both.cardinality();
    }

    public synchronized Answer get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        ByteBuffer buffer = chunks.get(index / RECORDS_PER_CHUNK);
        int at = (index % RECORDS_PER_CHUNK) * RECORD_BYTES;
        return new Answer(buffer.getLong(at), EventKind.values()[buffer.get(at + 28)], buffer.getLong(at + 8), buffer.getLong(at + 16),
                buffer.getShort(at + 24), buffer.getShort(at + 26), buffer.get(at + 29) == 1);
    }

    /** Every answer from {@code from} on, oldest first; returns the index after the last one seen. */
    public int forEachFrom(int from, Consumer<Answer> action) {
        int end = size();
        for (int i = from; i < end; i++) {
            action.accept(get(i));
        }
        return end;
    }

    public void forEach(Consumer<Answer> action) {
        forEachFrom(0, action);
    }

    /** Off-heap bytes this log holds. */
    public synchronized long offHeapBytes() {
        return (long) chunks.size() * RECORDS_PER_CHUNK * RECORD_BYTES;
    }
}
