package io.bookhook.app;

import io.bookhook.app.bench.BenchMonitor;
import io.bookhook.app.bench.BenchOptions;
import io.bookhook.app.bench.BenchReceiver;
import io.bookhook.app.bench.BenchResult;
import io.bookhook.app.bench.LatencyLog;
import io.bookhook.app.bench.ProcessMemory;
import io.bookhook.app.bench.RawCeiling;
import io.bookhook.app.bench.RowPhases;
import io.bookhook.app.bench.RowWriter;
import io.bookhook.app.bench.RunAnalysis;
import io.bookhook.app.bench.SlotLag;
import io.bookhook.app.bench.SpanBreakdown;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bench's phases against a running pipeline: paced single-row transactions (warm-up reported apart), then a
 * backlog, then the raw HTTP ceiling; and what they measured, from what the receiver saw and the meters' snapshots.
 */
final class BenchPhases {

    private static final int BACKLOG_ROWS_PER_TRANSACTION = 1_000;

    /** What the phases measured, and why the run failed (empty when it did not). */
    record Outcome(BenchResult result, RunAnalysis.Figures figures, List<String> failures, String slotLagProblem) {
    }

    private final BenchOptions options;
    private final RowWriter rows;
    private final BenchReceiver receiver;
    private final Pipeline pipeline;
    private final PrometheusMeterRegistry registry;
    private final PrintStream stdout;

    BenchPhases(BenchOptions options, RowWriter rows, BenchReceiver receiver, Pipeline pipeline, PrometheusMeterRegistry registry,
                PrintStream stdout) {
        this.options = options;
        this.rows = rows;
        this.receiver = receiver;
        this.pipeline = pipeline;
        this.registry = registry;
        this.stdout = stdout;
    }

    Outcome run(String startedAt, SlotLag slotLag) throws Exception {
        LatencyLog log = receiver.log();
        RowPhases phases = rows.phases();
        List<BenchResult.HeapPoint> heap = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, List<SpanBreakdown.Span>> breakdown = new LinkedHashMap<>();
        BenchMonitor monitor = BenchMonitor.start(stdout, log, rows::transactions, slotLag);
        RowWriter.Paced paced;
        RowWriter.Backlog backlogDone = null;
        RawCeiling.Result ceiling = null;
        String ceilingProblem = null;
        int missingPaced;
        int missingBacklog = 0;
        try {
            stdout.println();
            stdout.printf(Locale.ROOT, "Paced: %d single-row transactions/s (%,d appointments, each booked, then confirmed) for %s "
                    + "(warm-up: the first %s)%n", options.rate(), options.pacedAppointments(), seconds(options.duration()),
                    seconds(options.warmup()));
            monitor.phase(options.warmup().isZero() ? "paced" : "warm-up");
            if (!options.warmup().isZero()) {
                monitor.phaseAfter(options.warmup(), "paced");
            }
            SpanBreakdown.Snapshot pacedStart = SpanBreakdown.snapshot(registry);
            CompletableFuture<SpanBreakdown.Snapshot> warmupEnd = CompletableFuture.supplyAsync(() -> SpanBreakdown.snapshot(registry),
                    CompletableFuture.delayedExecutor(options.warmup().toNanos(), TimeUnit.NANOSECONDS));
            paced = rows.paced(options.rate(), options.duration(), options.warmup());
            if (paced.transactions() < paced.scheduled()) {
                stdout.printf(Locale.ROOT, "  the database took %,d of %,d transactions in time: %.1f/s%n", paced.transactions(),
                        paced.scheduled(), paced.achievedPerSecond());
            }
            monitor.phase("draining");
            missingPaced = await(log, phases.pacedWebhooks(), failures);
            SpanBreakdown.Snapshot pacedEnd = SpanBreakdown.snapshot(registry);
            breakdown.put("warm-up", SpanBreakdown.between(pacedStart, warmupEnd.join()));
            breakdown.put("steady", SpanBreakdown.between(warmupEnd.join(), pacedEnd));
            heap.add(heapPoint("paced", log));
            if (missingPaced > 0 || !failures.isEmpty()) {
                stdout.println("Backlog skipped: the paced phase's webhooks did not all arrive");
            } else if (options.backlog() > 0) {
                stdout.printf(Locale.ROOT, "Backlog: %,d appointments booked, then confirmed, %,d per transaction, as fast as the "
                        + "database takes them%n", options.backlog(), BACKLOG_ROWS_PER_TRANSACTION);
                monitor.phase("backlog");
                backlogDone = rows.backlog(options.backlog(), BACKLOG_ROWS_PER_TRANSACTION);
                missingBacklog = await(log, phases.backlogWebhooks(), failures);
                breakdown.put("backlog", SpanBreakdown.between(pacedEnd, SpanBreakdown.snapshot(registry)));
                heap.add(heapPoint("backlog", log));
            }
            Optional<byte[]> body = receiver.sampleBody();
            if (body.isPresent()) {
                stdout.printf(Locale.ROOT, "Raw HTTP ceiling: a delivered webhook's body POSTed again to the same receiver, answering "
                        + "at once, 4 then 16 in flight, %s each%n", seconds(options.ceilingDuration()));
                monitor.phase("ceiling");
                try {
                    ceiling = RawCeiling.measure(receiver, body.get(), options.ceilingDuration());
                } catch (Exception e) {
                    ceilingProblem = OneLineErrors.describe(e);
                }
            } else {
                ceilingProblem = "no webhook was delivered, so there is no body to post";
            }
        } finally {
            monitor.close();
        }

        RunAnalysis.Figures figures = RunAnalysis.analyze(log::forEach, phases);
        BenchResult result = new BenchResult(options, startedAt, figures, paced, backlogDone, missingPaced, missingBacklog, heap,
                ceiling, ceilingProblem, ProcessMemory.peakRssBytes(), monitor.samples(), monitor.maxSlotLag(), monitor.lastSlotLag(),
                receiver.badSignatures(), log.firstDeliveries(), log.offHeapBytes(), breakdown);
        return new Outcome(result, figures, failures, monitor.slotLagProblem());
    }

    /**
     * Waits until every webhook whose bit is set has been delivered, --drain-timeout runs out or the sink stops; returns
     * how many are missing.
     */
    private int await(LatencyLog log, BitSet expected, List<String> failures) throws InterruptedException {
        int total = expected.cardinality();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (log.deliveredAmong(expected) < total && System.nanoTime() < deadline) {
            if (pipeline.sink() != null && pipeline.sink().stopped().isDone()) {
                failures.add("the sink stopped (see the log)");
                break;
            }
            Thread.sleep(50);
        }
        return total - log.deliveredAmong(expected);
    }

    private static BenchResult.HeapPoint heapPoint(String after, LatencyLog log) {
        long delivered = log.firstDeliveries();
        return new BenchResult.HeapPoint(after, ProcessMemory.heapAfterGcBytes(), delivered);
    }

    /** A duration as the bench prints it: whole seconds, or milliseconds. */
    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
