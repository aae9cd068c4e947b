package io.bookhook.sink;

import java.util.concurrent.atomic.AtomicLong;

/** What the sink has committed since it started; counted only after the transaction holding it committed. */
public final class DeliveryCounts {

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    void add(CommitBatch.Outcomes outcomes) {
        delivered.addAndGet(outcomes.total(CommitBatch.Outcomes.DELIVERED));
        failed.addAndGet(outcomes.total(CommitBatch.Outcomes.FAILED));
        skipped.addAndGet(outcomes.total(CommitBatch.Outcomes.SKIPPED));
        deadLettered.addAndGet(outcomes.deadLettered());
    }

    public long delivered() {
        return delivered.get();
    }

    /** Recorded as failed after the last attempt (they stay retryable by an operator). */
    public long failed() {
        return failed.get();
    }

    /** Read again (a replay) but not posted, because the ledger already had them delivered. */
    public long skipped() {
        return skipped.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public String toString() {
        return "delivered=" + delivered + ", failed=" + failed + ", skipped=" + skipped + ", deadLettered=" + deadLettered;
    }
}
