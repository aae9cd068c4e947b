package io.bookhook.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What an operator watches on a sink: how long each attempt takes by outcome, how long an event takes from its
 * commit in Postgres to a receiver's 2xx, and dead letters. Registered in Micrometer's global registry, which
 * each stage process connects to its Prometheus endpoint.
 */
final class SinkMetrics {

    private final MeterRegistry registry;
    private final Timer commitToDelivery;
    private final Counter deadLetters;

    SinkMetrics() {
        this(Metrics.globalRegistry);
    }

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.commitToDelivery = Timer.builder("bookhook.delivery.commit.to.delivery")
                .description("From the change's commit in Postgres to the receiver's 2xx").register(registry);
        this.deadLetters = Counter.builder("bookhook.dead.letters").tag("stage", "sink")
                .description("Records the sink could not read, sent to the dead-letter topic").register(registry);
    }

    void attempt(Verdict verdict, Duration took) {
        Timer.builder("bookhook.delivery.attempt").tag("outcome", verdict.name().toLowerCase(java.util.Locale.ROOT))
                .description("One HTTP attempt, connect to the end of the bounded response read").register(registry).record(took);
    }

    void delivered(Duration sinceCommit) {
        if (!sinceCommit.isNegative()) {
            commitToDelivery.record(sinceCommit);
        }
    }

    void deadLettered() {
        deadLetters.increment();
    }
}
