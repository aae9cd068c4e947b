package io.bookhook.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the sink looks for ledger payloads past their retention: every tenth of the retention, at most once a minute
 * and at least a second apart, and again at once while a sweep finds a full batch (a backlog after a long stop).
 * Never when payloads are kept for ever.
 */
final class PayloadSweeps {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadSweeps.class);

    /** Payloads removed per sweep at most, so one sweep never makes a transaction large. */
    static final int BATCH = 500;

    private static final Duration MOST_OFTEN = Duration.ofSeconds(1);
    private static final Duration LEAST_OFTEN = Duration.ofMinutes(1);

    private final Optional<Duration> retention;
    private final Duration every;
    private Instant next = Instant.EPOCH;

    PayloadSweeps(Optional<Duration> retention) {
        this.retention = retention;
        Duration tenth = retention.map(kept -> kept.dividedBy(10)).orElse(LEAST_OFTEN);
        this.every = tenth.compareTo(MOST_OFTEN) < 0 ? MOST_OFTEN : tenth.compareTo(LEAST_OFTEN) > 0 ? LEAST_OFTEN : tenth;
    }

    /** When a sweep is due at {@code now}: the engine's final deliveries kept past the retention lose their payload. */
    void sweepIfDue(DeliveryEngine engine, Instant now) {
        due(now).ifPresent(cutoff -> {
            int removed = engine.removePayloadsKeptBefore(cutoff, BATCH);
            swept(now, removed);
            if (removed > 0) {
                LOG.info("removing the payload of {} final ledger records kept since before {} (BOOKHOOK_LEDGER_PAYLOAD_RETENTION)", removed,
                        cutoff);
            }
        });
    }

    /** The cutoff to sweep before, when a sweep is due at {@code now}. */
    Optional<Instant> due(Instant now) {
        if (retention.isEmpty() || now.isBefore(next)) {
            return Optional.empty();
        }
        return Optional.of(now.minus(retention.get()));
    }

    /** A sweep at {@code now} removed {@code removed} payloads. */
    void swept(Instant now, int removed) {
        next = removed >= BATCH ? now : now.plus(every);
    }
}
