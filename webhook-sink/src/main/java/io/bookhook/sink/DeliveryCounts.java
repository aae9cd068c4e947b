package io.bookhook.sink;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the sink has committed since it started; counted only after the transaction holding it committed. */
public final class DeliveryCounts {

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    void addCommitted(List<RecordOutcome> outcomes) {
        for (RecordOutcome outcome : outcomes) {
            switch (outcome.kind()) {
                case DELIVERED -> delivered.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
                case DEAD_LETTERED -> deadLettered.incrementAndGet();
            }
        }
    }

    public long delivered() {
        return delivered.get();
    }

    /** Recorded as failed after the last attempt (they stay retryable by an operator). */
    public long failed() {
        return failed.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public String toString() {
        return "delivered=" + delivered + ", failed=" + failed + ", deadLettered=" + deadLettered;
    }
}
