package io.bookhook.app.bench;

import io.bookhook.schemas.PipelineLatency;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the time goes: bookhook's own latency histograms ({@code bookhook.pipeline.latency{span}}) between two moments
 * of the run. Unlike the table's figures these come from bookhook's counters, so they explain the receiver's figures
 * rather than replace them. A percentile is the upper bound of the histogram bucket it falls in.
 */
public final class SpanBreakdown {


    /** The cumulative bucket counts of each span at one moment; needs a registry whose histograms never roll over (Prometheus's). */
    public record Snapshot(Map<String, CountAtBucket[]> buckets) {
    }

    /** One span between two snapshots: how many events, and the bucket bounds of their p50 and p99 (-1 when none). */
    public record Span(String span, long count, double p50Ms, double p99Ms) {
    }

    private SpanBreakdown() {
    }

    public static Snapshot snapshot(MeterRegistry registry) {
        Map<String, CountAtBucket[]> buckets = new LinkedHashMap<>();
        for (String span : PipelineLatency.SPANS) {
            Timer timer = registry.find(PipelineLatency.METER).tag("span", span).timer();
            buckets.put(span, timer == null ? new CountAtBucket[0] : timer.takeSnapshot().histogramCounts());
        }
        return new Snapshot(buckets);
    }

    public static List<Span> between(Snapshot before, Snapshot after) {
        List<Span> spans = new ArrayList<>();
        for (String span : PipelineLatency.SPANS) {
            CountAtBucket[] to = after.buckets().getOrDefault(span, new CountAtBucket[0]);
            CountAtBucket[] from = before.buckets().getOrDefault(span, new CountAtBucket[0]);
            double[] cumulative = new double[to.length];
            for (int i = 0; i < to.length; i++) {
                cumulative[i] = to[i].count() - (i < from.length ? from[i].count() : 0);
            }
            long count = to.length == 0 ? 0 : Math.round(cumulative[to.length - 1]);
            spans.add(new Span(span, count, percentile(to, cumulative, 0.50), percentile(to, cumulative, 0.99)));
        }
        return spans;
    }

    /** Counts beyond the last bucket (over 5 minutes) are not in it; such a percentile reads as the last bound. */
    private static double percentile(CountAtBucket[] bounds, double[] cumulative, double quantile) {
        if (bounds.length == 0 || cumulative[bounds.length - 1] <= 0) {
            return -1;
        }
        double wanted = quantile * cumulative[bounds.length - 1];
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= wanted) {
                return bounds[i].bucket(TimeUnit.MILLISECONDS);
            }
        }
        return bounds[bounds.length - 1].bucket(TimeUnit.MILLISECONDS);
    }
}
