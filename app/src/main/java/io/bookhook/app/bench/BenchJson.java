package io.bookhook.app.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.app.bench.LatencyStats.Summary;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** bench.json: what a run measured, for machines; {@link BenchReport} says it for people. */
public final class BenchJson {

    private BenchJson() {
    }

    /** bench.json: every figure of the table, the per-second series, the samples, the options and the machine. */
    public static ObjectNode of(BenchResult r, Map<String, String> files) {
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
        for (BenchReport.Target t : BenchReport.targets(r)) {
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

    public static void write(Path file, ObjectNode json) throws IOException {
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
