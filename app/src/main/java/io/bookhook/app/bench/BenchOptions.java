package io.bookhook.app.bench;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code bookhook bench} was told to do, checked as a whole before anything starts. */
public record BenchOptions(Servers servers, int rate, Duration duration, Duration warmup, int backlog, Duration drainTimeout,
                           Duration receiverLatency, double failureRate, Duration ceilingDuration, Path out) {

    /** Where Postgres and Kafka come from. */
    public enum Servers {
        /** An embedded Postgres and KRaft broker in the bench's own process. */
        EMBEDDED,
        /** The BOOKHOOK_POSTGRES_* and BOOKHOOK_KAFKA_* servers of the environment. */
        ENV
    }

    /** Throws {@link IllegalArgumentException} naming the first option that is out of range. */
    public BenchOptions {
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be between 1 and 100000 rows per second, got " + rate);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be longer than 0, got " + duration.toMillis() + "ms");
        }
        if ((long) rate * duration.toMillis() / 1000 < 2) {
            throw new IllegalArgumentException("--duration at --rate " + rate + " books no appointment (booking and confirming one takes "
                    + "2 transactions): make it at least " + (2000 + rate - 1) / rate + "ms");
        }
        if (warmup.isNegative() || warmup.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--warmup must be shorter than --duration (" + duration.toMillis() + "ms), got "
                    + warmup.toMillis() + "ms");
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("--backlog must be 0 (no backlog) or more, got " + backlog);
        }
        if (drainTimeout.isZero() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drain-timeout must be longer than 0");
        }
        if (receiverLatency.isNegative()) {
            throw new IllegalArgumentException("--receiver-latency must not be negative");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("--failure-rate must be between 0.0 and 1.0, got " + failureRate);
        }
        if (ceilingDuration.isZero() || ceilingDuration.isNegative()) {
            throw new IllegalArgumentException("--ceiling-duration must be longer than 0");
        }
    }

    /** Appointments the paced phase books and confirms: rate × duration transactions, two per appointment. */
    public long pacedAppointments() {
        return (long) rate * duration.toMillis() / 1000 / 2;
    }
}
