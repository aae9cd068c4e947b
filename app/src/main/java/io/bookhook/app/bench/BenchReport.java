package io.bookhook.app.bench;

import io.bookhook.app.bench.LatencyStats.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end of a run for people: the table printed, and the targets of issue 11 each marked met or not ({@link BenchJson} writes bench.json). */
public final class BenchReport {

    static final long MIB = 1024 * 1024;
    /** The targets of issue 11 are stated for this rate, on a 2-core machine. */
    static final int TARGET_RATE = 500;

    /** One target: the figure measured, the bound, and whether it was met ({@code null}: not measured in this run). */
    public record Target(String name, String value, String bound, Boolean met) {
        String verdict() {
            return met == null ? "not measured" : met ? "met" : "not met";
        }
    }

    private BenchReport() {
    }

    public static List<Target> targets(BenchResult r) {
        Summary warmup = r.figures().of(Phase.WARMUP);
        Summary steady = r.figures().of(Phase.STEADY);
        double drain = r.figures().drain().perSecond();
        double ratio = r.drainToCeiling();
        return List.of(
                latency("p50 steady", steady, steady.p50(), 50),
                latency("p99 steady", steady, steady.p99(), 250),
                latency("p99 warm-up", warmup, warmup.p99(), 1000),
                new Target("backlog drain", drain <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f/s", drain), "≥ 3,000/s",
                        drain <= 0 ? null : drain >= 3000),
                new Target("drain / raw ceiling", ratio <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", ratio), "≥ 0.70",
                        ratio <= 0 ? null : ratio >= 0.7),
                new Target("peak RSS", r.peakRssBytes() < 0 ? "-" : mib(r.peakRssBytes()), "≤ 768 MiB",
                        r.peakRssBytes() < 0 ? null : r.peakRssBytes() <= 768 * MIB));
    }

    private static Target latency(String name, Summary summary, long value, long bound) {
        return new Target(name, summary.isEmpty() ? "-" : String.format(Locale.ROOT, "%,d ms", value),
                String.format(Locale.ROOT, "≤ %,d ms", bound), summary.isEmpty() ? null : value <= bound);
    }

    /** The latency table by phase, the other figures, then one line per target. */
    public static String table(BenchResult r) {
        StringBuilder out = new StringBuilder();
        RunAnalysis.Figures f = r.figures();
        out.append("Commit→receive latency (ms; nearest-rank percentiles of each webhook's first 2xx at the receiver)\n\n");
        out.append("| phase | webhooks | p50 | p95 | p99 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        row(out, String.format(Locale.ROOT, "warm-up (first %s)", seconds(r.options().warmup().toMillis())), f.of(Phase.WARMUP));
        row(out, "steady", f.of(Phase.STEADY));
        row(out, "paced overall", f.paced());
        row(out, "backlog", f.of(Phase.BACKLOG));
        if (!f.of(Phase.OTHER).isEmpty()) {
            row(out, "other rows (not the bench's)", f.of(Phase.OTHER));
        }
        out.append("\n| figure | value |\n| --- | --- |\n");
        figure(out, "paced", String.format(Locale.ROOT, "%,d of %,d transactions (%,d appointments) at %.1f/s, asked %d/s for %s",
                r.paced().transactions(), r.paced().scheduled(), r.paced().appointments(), r.paced().achievedPerSecond(),
                r.options().rate(), seconds(r.options().duration().toMillis())));
        figure(out, "backlog", r.backlog() != null ? String.format(Locale.ROOT, "%,d appointments (%,d webhooks)", r.backlog().appointments(),
                2 * r.backlog().appointments()) : r.options().backlog() == 0 ? "skipped (--backlog 0)" : "skipped (paced webhooks missing)");
        figure(out, "backlog drain", f.drain().webhooks() == 0 ? "-" : String.format(Locale.ROOT,
                "%,.0f webhooks/s (first backlog commit to last backlog webhook received)", f.drain().perSecond()));
        figure(out, "raw HTTP ceiling", r.ceiling() == null ? "not measured" + (r.ceilingProblem() == null ? "" : ": " + r.ceilingProblem())
                : ceiling(r.ceiling()));
        figure(out, "drain / raw ceiling", r.drainToCeiling() <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.drainToCeiling()));
        figure(out, "peak RSS (VmHWM)", r.peakRssBytes() < 0 ? "-" : mib(r.peakRssBytes()));
        List<String> heap = new ArrayList<>();
        for (BenchResult.HeapPoint point : r.heap()) {
            heap.add(String.format(Locale.ROOT, "%s at %,d delivered (after %s)", mib(point.bytes()), point.delivered(), point.after()));
        }
        figure(out, "live heap after GC", heap.isEmpty() ? "-" : String.join("; ", heap));
        figure(out, "slot lag", r.slotLagMaxBytes() < 0 ? "not read" : "max " + bytes(r.slotLagMaxBytes()) + ", at the end "
                + bytes(r.slotLagEndBytes()));
        figure(out, "receiver answers", String.format(Locale.ROOT, "%,d: %,d webhooks delivered, %,d duplicates, %,d not 2xx, %,d bad signatures",
                f.answers(), r.firstDeliveries(), f.duplicates(), f.notDelivered(), r.badSignatures()));
        figure(out, "missing webhooks", String.format(Locale.ROOT, "%,d paced, %,d backlog", r.missingPaced(), r.missingBacklog()));

        if (!r.breakdown().isEmpty()) {
            out.append("\nWhere the time goes (ms; bookhook's own histograms, bookhook_pipeline_latency_seconds: the upper bound of the "
                    + "bucket holding each percentile)\n\n| phase | span | events | p50 | p99 |\n| --- | --- | ---: | ---: | ---: |\n");
            r.breakdown().forEach((phase, spans) -> spans.forEach(span -> out.append(String.format(Locale.ROOT,
                    "| %s | %s | %,d | %s | %s |%n", phase, span.span(), span.count(), bucket(span.p50Ms()), bucket(span.p99Ms())))));
        }
        out.append(String.format(Locale.ROOT, "%nTargets (issue 11, stated for %d transactions/s on a 2-core machine%s):%n", TARGET_RATE,
                r.options().rate() == TARGET_RATE ? "" : "; this run: " + r.options().rate() + "/s"));
        for (Target t : targets(r)) {
            out.append(String.format(Locale.ROOT, "  %s %s: %s%s%n", t.name(), t.bound(), t.verdict(), t.met() == null ? "" : " (" + t.value() + ")"));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Summary s) {
        out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |%n", name, s.count(), ms(s, s.p50()), ms(s, s.p95()),
                ms(s, s.p99()), ms(s, s.max())));
    }

    private static String ms(Summary s, long value) {
        return s.isEmpty() ? "-" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String bucket(double ms) {
        return ms < 0 ? "-" : Double.isInfinite(ms) ? "> 300,000" : String.format(Locale.ROOT, "≤ %,.0f", Math.ceil(ms));
    }

    private static void figure(StringBuilder out, String name, String value) {
        out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String ceiling(RawCeiling.Result ceiling) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,.0f/s (", ceiling.best()));
        for (int i = 0; i < ceiling.levels().size(); i++) {
            RawCeiling.Level level = ceiling.levels().get(i);
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d in flight %,.0f/s", level.inFlight(), level.perSecond()));
        }
        return text.append(')').toString();
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MiB", bytes / (double) MIB);
    }

    static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < MIB ? String.format(Locale.ROOT, "%,.1f KiB", bytes / 1024.0) : mib(bytes);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
