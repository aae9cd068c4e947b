package io.bookhook.app.bench;

import java.util.List;
import java.util.Map;

/** Everything one run measured, for the table and bench.json. */
public record BenchResult(
        BenchOptions options,
        String startedAt,
        RunAnalysis.Figures figures,
        RowWriter.Paced paced,
        RowWriter.Backlog backlog,
        int missingPaced,
        int missingBacklog,
        List<HeapPoint> heap,
        RawCeiling.Result ceiling,
        String ceilingProblem,
        long peakRssBytes,
        List<BenchMonitor.Sample> samples,
        long slotLagMaxBytes,
        long slotLagEndBytes,
        int badSignatures,
        long firstDeliveries,
        long logOffHeapBytes,
        Map<String, List<SpanBreakdown.Span>> breakdown) {

    /** Live heap after a full GC at a point of the run, and how many webhooks had been delivered then. */
    public record HeapPoint(String after, long bytes, long delivered) {
    }

    /** Backlog drain rate over the raw ceiling; 0 when either is unknown. */
    public double drainToCeiling() {
        double drain = figures.drain().perSecond();
        return ceiling == null || ceiling.best() <= 0 || drain <= 0 ? 0 : drain / ceiling.best();
    }

    public int missing() {
        return missingPaced + missingBacklog;
    }
}
