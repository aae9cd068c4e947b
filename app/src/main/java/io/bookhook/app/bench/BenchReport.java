package io.bookhook.app.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.app.bench.LatencyStats.Summary;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end of a run: the table printed, the targets of issue 11 each marked met or not, and bench.json. */
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

    /** bench.json: every figure of the table, the per-second series, the samples, the options and the machine. */
    public static ObjectNode json(BenchResult r, Map<String, String> files) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("started_at", r.startedAt());
        BenchOptions o = r.options();
        ObjectNode options = root.putObject("options");
        options.put("servers", o.servers().name().toLowerCase(Locale.ROOT));
        options.put("rate", o.rate());
        options.put("duration_ms", o.duration().toMillis());
        options.put("warmup_ms", o.warmup().toMillis());
        options.put("backlog", o.backlog());
        options.put("drain_timeout_ms", o.drainTimeout().toMillis());
        options.put("receiver_latency_ms", o.receiverLatency().toMillis());
        options.put("failure_rate", o.failureRate());
        options.put("ceiling_duration_ms", o.ceilingDuration().toMillis());
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());

        ObjectNode rows = root.putObject("rows");
        rows.put("paced_transactions_scheduled", r.paced().scheduled());
        rows.put("paced_transactions", r.paced().transactions());
        rows.put("paced_appointments", r.paced().appointments());
        rows.put("paced_start_ms", r.paced().startMs());
        rows.put("paced_end_ms", r.paced().endMs());
        rows.put("paced_transactions_per_second", round(r.paced().achievedPerSecond(), 1));
        rows.put("backlog_appointments", r.backlog() == null ? 0 : r.backlog().appointments());

        RunAnalysis.Figures f = r.figures();
        ObjectNode latency = root.putObject("latency_ms");
        summary(latency.putObject("warmup"), f.of(Phase.WARMUP));
        summary(latency.putObject("steady"), f.of(Phase.STEADY));
        summary(latency.putObject("paced"), f.paced());
        summary(latency.putObject("backlog"), f.of(Phase.BACKLOG));
        summary(latency.putObject("other"), f.of(Phase.OTHER));
        ArrayNode perSecond = root.putArray("per_second");
        for (RunAnalysis.Second second : f.seconds()) {
            ObjectNode node = perSecond.addObject();
            node.put("second", second.second());
            node.put("phase", second.phase().csvName());
            summary(node, second.latency());
        }

        ObjectNode drain = root.putObject("backlog_drain");
        drain.put("webhooks", f.drain().webhooks());
        drain.put("first_commit_ms", f.drain().firstCommitMs());
        drain.put("last_delivery_ms", f.drain().lastDeliveryMs());
        drain.put("per_second", round(f.drain().perSecond(), 1));
        ObjectNode ceiling = root.putObject("raw_ceiling");
        if (r.ceiling() != null) {
            ArrayNode levels = ceiling.putArray("levels");
            for (RawCeiling.Level level : r.ceiling().levels()) {
                ObjectNode node = levels.addObject();
                node.put("in_flight", level.inFlight());
                node.put("answered", level.answered());
                node.put("seconds", round(level.seconds(), 3));
                node.put("per_second", round(level.perSecond(), 1));
            }
            ceiling.put("best_per_second", round(r.ceiling().best(), 1));
        } else {
            ceiling.put("problem", r.ceilingProblem());
        }
        root.put("drain_to_ceiling", round(r.drainToCeiling(), 3));
        ObjectNode breakdown = root.putObject("breakdown_ms");
        r.breakdown().forEach((phase, spans) -> {
            ObjectNode node = breakdown.putObject(phase);
            for (SpanBreakdown.Span span : spans) {
                node.putObject(span.span()).put("count", span.count()).put("p50_bucket", span.p50Ms()).put("p99_bucket", span.p99Ms());
            }
        });

        ObjectNode memory = root.putObject("memory");
        memory.put("peak_rss_bytes", r.peakRssBytes());
        ArrayNode heap = memory.putArray("heap_after_gc");
        for (BenchResult.HeapPoint point : r.heap()) {
            heap.addObject().put("after", point.after()).put("bytes", point.bytes()).put("delivered", point.delivered());
        }
        memory.put("receiver_log_off_heap_bytes", r.logOffHeapBytes());
        root.putObject("slot_lag_bytes").put("max", r.slotLagMaxBytes()).put("end", r.slotLagEndBytes());
        ArrayNode samples = root.putArray("samples");
        for (BenchMonitor.Sample sample : r.samples()) {
            samples.addObject().put("second", sample.second()).put("rss_bytes", sample.rssBytes()).put("slot_lag_bytes", sample.slotLagBytes());
        }

        ObjectNode receiver = root.putObject("receiver");
        receiver.put("answers", f.answers());
        receiver.put("not_2xx", f.notDelivered());
        receiver.put("first_deliveries", r.firstDeliveries());
        receiver.put("duplicates", f.duplicates());
        receiver.put("bad_signatures", r.badSignatures());
        receiver.put("unreadable", f.unreadable());
        // One webhook per transaction: a booking's created, a confirmation's confirmed.
        root.putObject("expected_webhooks").put("paced", r.paced().transactions())
                .put("backlog", r.backlog() == null ? 0 : 2 * r.backlog().appointments());
        root.putObject("missing").put("paced", r.missingPaced()).put("backlog", r.missingBacklog());

        ArrayNode targets = root.putArray("targets");
        for (Target t : targets(r)) {
            ObjectNode node = targets.addObject().put("name", t.name()).put("value", t.value()).put("target", t.bound());
            if (t.met() == null) {
                node.putNull("met");
            } else {
                node.put("met", t.met());
            }
        }
        ObjectNode written = root.putObject("files");
        files.forEach(written::put);
        return root;
    }

    public static void writeJson(Path file, ObjectNode json) throws IOException {
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    private static void summary(ObjectNode node, Summary s) {
        node.put("count", s.count()).put("p50", s.p50()).put("p95", s.p95()).put("p99", s.p99()).put("max", s.max());
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
