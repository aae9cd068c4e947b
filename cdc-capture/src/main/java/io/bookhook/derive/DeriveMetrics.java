package io.bookhook.derive;

import io.bookhook.schemas.AppointmentEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters an operator watches: events derived, events that went out with related rows missing, dead letters. */
final class DeriveMetrics {

    private final MeterRegistry registry;
    private final Counter incomplete;
    private final Counter deadLettered;

    DeriveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.incomplete = Counter.builder("bookhook.derive.events.incomplete")
                .description("Events emitted after the grace time with related rows missing").register(registry);
        this.deadLettered = Counter.builder("bookhook.derive.dead.letters")
                .description("Appointment changes sent to the dead-letter topic").register(registry);
    }

    void derived(AppointmentEvent event) {
        registry.counter("bookhook.derive.events", "event_type", event.eventType().wireName()).increment();
        if (!event.missing().isEmpty()) {
            incomplete.increment();
        }
    }

    void deadLettered() {
        deadLettered.increment();
    }
}
