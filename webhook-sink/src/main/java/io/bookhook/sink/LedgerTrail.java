package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The ledger records of one delivery, in order, as lane writes: {@code pending} before the first attempt, one
 * {@code retrying} per retry, then {@code delivered} or {@code failed}. Only the final record may complete the
 * record it came from ({@code source}/{@code offset}), so the offset commits with it.
 */
final class LedgerTrail {

    private final LedgerRecords records;
    private final Clock clock;
    private final Consumer<LaneWrite> out;
    private final TopicPartition source;
    private final long offset;
    private final DeliveryRecord pending;

    private LedgerTrail(LedgerRecords records, Clock clock, Consumer<LaneWrite> out, TopicPartition source, long offset,
            DeliveryRecord pending) {
        this.records = records;
        this.clock = clock;
        this.out = out;
        this.source = source;
        this.offset = offset;
        this.pending = pending;
    }

    /** Writes the {@code pending} record and returns the trail that continues it. */
    static LedgerTrail begin(LedgerRecords records, Clock clock, Consumer<LaneWrite> out, TopicPartition source, long offset,
            DeliveryRecord pending) {
        out.accept(new LaneWrite(LaneWrite.Kind.INTERMEDIATE, records.of(pending), source, offset));
        return new LedgerTrail(records, clock, out, source, offset, pending);
    }

    /** Writes a {@code retrying} record for each attempt the schedule will retry. */
    DeliveryAttempts.RetryListener retrying() {
        return (attempt, result, wait) -> out.accept(new LaneWrite(LaneWrite.Kind.INTERMEDIATE, records.of(pending.next(
                DeliveryStatus.RETRYING, attempt, result.statusCode(), result.error(), result.responseExcerpt(), clock.instant())),
                source, offset));
    }

    /** Writes the final record; it completes the source record only when {@code completesSource}. */
    void settle(DeliveryOutcome outcome, boolean completesSource) {
        AttemptResult last = outcome.last();
        DeliveryRecord settled = pending.next(outcome.delivered() ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED, outcome.attempts(),
                last.statusCode(), last.error(), last.responseExcerpt(), clock.instant());
        LaneWrite.Kind kind = !completesSource ? LaneWrite.Kind.INTERMEDIATE
                : outcome.delivered() ? LaneWrite.Kind.DELIVERED : LaneWrite.Kind.FAILED;
        out.accept(new LaneWrite(kind, records.of(settled), source, offset));
    }
}
