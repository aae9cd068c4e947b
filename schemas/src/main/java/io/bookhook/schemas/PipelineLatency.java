package io.bookhook.schemas;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * {@code bookhook_pipeline_latency_seconds{span}}: where an event's time goes from the commit in Postgres to the
 * receiver, one histogram per span, recorded by the stage that ends the span (derive the first two, the sink the
 * last). One definition, so the buckets of every span are the same and add up.
 */
public final class PipelineLatency {

    public static final String METER = "bookhook.pipeline.latency";
    public static final String COMMIT_TO_CAPTURED = "commit_to_captured";
    public static final String CAPTURED_TO_DERIVED = "captured_to_derived";
    public static final String DERIVED_TO_DELIVERED = "derived_to_delivered";
    public static final List<String> SPANS = List.of(COMMIT_TO_CAPTURED, CAPTURED_TO_DERIVED, DERIVED_TO_DELIVERED);

    private PipelineLatency() {
    }

    public static Timer timer(MeterRegistry registry, String span, String description) {
        return Timer.builder(METER).tag("span", span).description(description)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }
}
