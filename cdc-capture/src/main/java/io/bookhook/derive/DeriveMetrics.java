package io.bookhook.derive;

import io.bookhook.schemas.AppointmentEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Counters an operator watches: events derived, events that went out with related rows missing, dead letters. */
final class DeriveMetrics {

    private final MeterRegistry registry;
    private final Counter incomplete;
    private final Counter deadLettered;
    private final AtomicLong waiting = new AtomicLong();

    DeriveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.incomplete = Counter.builder("bookhook.derive.events.incomplete")
                .description("Events emitted after the grace time with related rows missing").register(registry);
        this.deadLettered = Counter.builder("bookhook.dead.letters").tag("stage", "derive")
                .description("Appointment changes sent to the dead-letter topic").register(registry);
        Gauge.builder("bookhook.derive.waiting.events", waiting, count -> Math.max(0, count.get()))
                .description("Events of this instance waiting for their related rows").register(registry);
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

    void deadLettered() {
        deadLettered.increment();
    }
}
