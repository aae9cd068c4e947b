package io.bookhook.app.bench;

import io.bookhook.app.bench.LatencyLog.Answer;
import io.bookhook.app.bench.LatencyLog.EventKind;
import java.util.BitSet;

/**
 * Which webhooks the bench's committed rows must produce, by phase (a {@link LatencyLog#bit} per appointment and event
 * type, counted from the first id the bench can have written), and when its paced phase started: enough to tell the
 * phase of any webhook the receiver got. Warm-up and steady are told apart by the webhook's commit time
 * ({@code occurred_at}) relative to the paced start.
 */
public final class RowPhases {

    private final long firstAppointmentId;
    private final BitSet paced = new BitSet();
    private final BitSet backlog = new BitSet();
    private volatile long pacedStartMs = Long.MAX_VALUE;
    private volatile long warmupMs;

    public RowPhases(long firstAppointmentId) {
        this.firstAppointmentId = firstAppointmentId;
    }

    public long firstAppointmentId() {
        return firstAppointmentId;
    }

    /** The paced phase starts now-ish: rows committed before {@code startMs + warmupMs} are warm-up. */
    public void pacedStarted(long startMs, long warmupMs) {
        this.pacedStartMs = startMs;
        this.warmupMs = warmupMs;
    }

    public long pacedStartMs() {
        return pacedStartMs;
    }

    public long warmupEndMs() {
        return pacedStartMs + warmupMs;
    }

    /** A paced transaction committed: the webhook {@code kind} of {@code appointmentId} is expected. */
    public synchronized void addPaced(long appointmentId, EventKind kind) {
        set(paced, appointmentId, kind);
    }

    /** A backlog transaction committed: the webhook {@code kind} of {@code appointmentId} is expected. */
    public synchronized void addBacklog(long appointmentId, EventKind kind) {
        set(backlog, appointmentId, kind);
    }

    /** The webhooks the paced transactions must produce, as {@link LatencyLog#bit} bits. */
    public synchronized BitSet pacedWebhooks() {
        return (BitSet) paced.clone();
    }

    public synchronized BitSet backlogWebhooks() {
        return (BitSet) backlog.clone();
    }

    public synchronized Phase phaseOf(Answer answer) {
        int bit = LatencyLog.bit(firstAppointmentId, answer.appointmentId(), answer.kind());
        if (bit < 0) {
            return Phase.OTHER;
        }
        if (paced.get(bit)) {
            return answer.occurredAtMs() < warmupEndMs() ? Phase.WARMUP : Phase.STEADY;
        }
        return backlog.get(bit) ? Phase.BACKLOG : Phase.OTHER;
    }

    private void set(BitSet bits, long appointmentId, EventKind kind) {
        int bit = LatencyLog.bit(firstAppointmentId, appointmentId, kind);
        if (bit < 0) {
            throw new IllegalStateException("appointment id " + appointmentId + " below the bench's first id " + firstAppointmentId);
        }
        bits.set(bit);
    }
}
