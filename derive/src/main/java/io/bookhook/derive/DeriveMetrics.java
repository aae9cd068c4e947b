package io.bookhook.derive;

import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.PipelineLatency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator watches on derive: events derived, events that went out with related rows missing, dead letters,
 * and the first two spans of an event's way (commit→captured, captured→derived) as histograms.
 */
final class DeriveMetrics {

    private final MeterRegistry registry;
    private final Counter incomplete;
    private final AtomicLong waiting = new AtomicLong();
    private final Timer commitToCaptured;
    private final Timer capturedToDerived;

    DeriveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.incomplete = Counter.builder("bookhook.derive.events.incomplete")
                .description("Events emitted after the grace time with related rows missing").register(registry);
        Gauge.builder("bookhook.derive.waiting.events", waiting, count -> Math.max(0, count.get()))
                .description("Events of this instance waiting for their related rows").register(registry);
        this.commitToCaptured = PipelineLatency.timer(registry, PipelineLatency.COMMIT_TO_CAPTURED,
                "From the commit in Postgres to capture writing the change to Kafka (Debezium's stream and poll)");
        this.capturedToDerived = PipelineLatency.timer(registry, PipelineLatency.CAPTURED_TO_DERIVED,
                "From capture writing the change to derive emitting its event (reading, related rows, the wait for them)");
    }

    /**
     * The spans of one emitted event. The three times come from three clocks (Postgres, capture, derive); a span a
     * skewed clock makes negative counts as zero.
     */
    void spans(long committedAtMillis, long capturedAtMillis, long derivedAtMillis) {
        if (capturedAtMillis <= 0) {
            return; // waited in the store from before capture times were kept
        }
        commitToCaptured.record(Math.max(0, capturedAtMillis - committedAtMillis), TimeUnit.MILLISECONDS);
        capturedToDerived.record(Math.max(0, derivedAtMillis - capturedAtMillis), TimeUnit.MILLISECONDS);
    }

    /** An appointment's state left the store: {@code deleted} with its row, or after the {@code retention}. */
    void stateDropped(String reason) {
        Counter.builder("bookhook.derive.state.dropped").tag("reason", reason)
                .description("Appointment states derive dropped: with a delete of the row, or after BOOKHOOK_DERIVE_STATE_RETENTION")
                .register(registry).increment();
    }

    void queued(int events) {
        waiting.addAndGet(events);
    }

    void derived(AppointmentEvent event) {
        waiting.decrementAndGet();
        registry.counter("bookhook.derive.events", "event_type", event.eventType().wireName()).increment();
        if (!event.missing().isEmpty()) {
            incomplete.increment();
        }
    }

    /** A change derive cannot read or derive from (unreadable, no usable id, a null status). */
    void deadLettered() {
        deadLetters("bad_change").increment();
    }

    /** An appointment row without a column the table mapping names. */
    void deadLetteredMissingColumns() {
        deadLetters("missing_column").increment();
    }

    /** A change whose row is too large for derive's stores. */
    void deadLetteredTooLarge() {
        deadLetters("too_large").increment();
    }

    /** {@code bookhook_dead_letters_total{stage="derive",reason}}: records derive could not write where they belong. */
    Counter deadLetters(String reason) {
        return Counter.builder("bookhook.dead.letters").tag("stage", "derive").tag("reason", reason)
                .description("Records sent to the dead-letter topic").register(registry);
    }
}
