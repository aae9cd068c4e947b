package io.bookhook.sink;

import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** What the sink has committed since it started; counted only after the transaction holding it committed. */
public final class DeliveryCounts {

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    void addCommitted(List<LaneWrite> writes) {
        for (LaneWrite write : writes) {
            if (write.completesEvent()) {
                // The process-wide counter behind a stage's /metrics: bookhook_sink_deliveries_total{outcome=…}
                Metrics.counter("bookhook.sink.deliveries", "outcome", write.kind().name().toLowerCase(Locale.ROOT)).increment();
            }
            switch (write.kind()) {
                case DELIVERED -> delivered.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
                case SKIPPED -> skipped.incrementAndGet();
                case DEAD_LETTERED -> deadLettered.incrementAndGet();
                case INTERMEDIATE, CONSUMED -> { }
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
