package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.PipelineLatency;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpanBreakdownTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** As derive and the sink register them. */
    private Timer span(String name) {
        return PipelineLatency.timer(registry, name, "a span");
    }

    @Test
    void percentiles_cover_only_what_was_recorded_between_the_two_snapshots() {
        Timer captured = span("commit_to_captured");
        for (int i = 0; i < 1000; i++) {
            captured.record(Duration.ofSeconds(2)); // before the first snapshot: must not count
        }
        SpanBreakdown.Snapshot before = SpanBreakdown.snapshot(registry);
        for (int i = 0; i < 98; i++) {
            captured.record(Duration.ofMillis(10));
        }
        captured.record(Duration.ofMillis(300));
        captured.record(Duration.ofMillis(300));

        Map<String, SpanBreakdown.Span> spans = bySpan(SpanBreakdown.between(before, SpanBreakdown.snapshot(registry)));

        SpanBreakdown.Span span = spans.get("commit_to_captured");
        assertThat(span.count()).isEqualTo(100);
        assertThat(span.p50Ms()).as("the bucket holding 10 ms").isBetween(10.0, 12.0);
        assertThat(span.p99Ms()).as("the bucket holding 300 ms").isBetween(300.0, 360.0);
    }

    @Test
    void a_span_nothing_recorded_in_has_no_percentiles() {
        span("derived_to_delivered").record(Duration.ofMillis(5));
        SpanBreakdown.Snapshot only = SpanBreakdown.snapshot(registry);

        Map<String, SpanBreakdown.Span> spans = bySpan(SpanBreakdown.between(only, only));

        assertThat(spans.get("derived_to_delivered").count()).isZero();
        assertThat(spans.get("derived_to_delivered").p50Ms()).isEqualTo(-1);
        assertThat(spans.get("captured_to_derived").count()).as("never registered").isZero();
    }

    private static Map<String, SpanBreakdown.Span> bySpan(List<SpanBreakdown.Span> spans) {
        return spans.stream().collect(Collectors.toMap(SpanBreakdown.Span::span, Function.identity()));
    }
}
