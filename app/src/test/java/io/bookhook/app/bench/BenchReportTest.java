package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.app.bench.LatencyLog.EventKind;
import io.bookhook.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static final long START = 1_800_000_000_000L;
    private static final BenchOptions OPTIONS = new BenchOptions(BenchOptions.Servers.EMBEDDED, 500, Duration.ofSeconds(4),
            Duration.ofSeconds(1), 1_000, Duration.ofSeconds(120), Duration.ZERO, 0.1, Duration.ofSeconds(3), null);

    /**
     * 2,000 paced transactions (500/s for 4 s: 1,000 appointments booked, then confirmed), a backlog of 500 appointments
     * (1,000 webhooks); some 500s, their retries and one duplicate.
     */
    private static BenchResult run(LatencyLog log, RowPhases phases) {
        phases.pacedStarted(START, 1_000);
        for (int i = 0; i < 2_000; i++) {
            long id = 1 + i / 2;
            EventKind kind = i % 2 == 0 ? EventKind.CREATED : EventKind.CONFIRMED;
            long commit = START + i * 2L;
            phases.addPaced(id, kind);
            if (i % 10 == 3) {
                log.append(id, kind, commit, commit + 15, 500, 1);
                log.append(id, kind, commit, commit + 5_020 + i % 7, 200, 2);
            } else {
                log.append(id, kind, commit, commit + 8 + i % 41, 200, 1);
            }
        }
        log.append(5, EventKind.CREATED, START + 16, START + 9_999, 200, 1); // a duplicate
        for (int i = 0; i < 1_000; i++) {
            long id = 1_001 + i / 2;
            EventKind kind = i % 2 == 0 ? EventKind.CREATED : EventKind.CONFIRMED;
            phases.addBacklog(id, kind);
            log.append(id, kind, START + 20_000, START + 20_000 + 100 + i / 4, 200, 1);
        }
        RunAnalysis.Figures figures = RunAnalysis.analyze(log::forEach, phases);
        RawCeiling.Result ceiling = new RawCeiling.Result(List.of(new RawCeiling.Level(4, 9_000, 3.0), new RawCeiling.Level(16, 15_000, 3.0)));
        return new BenchResult(OPTIONS, "2026-12-02T10:00:00Z", figures, new RowWriter.Paced(2_000, 2_000, 1_000, START, START + 4_000),
                new RowWriter.Backlog(500, START + 19_900, START + 20_000), 0, 0,
                List.of(new BenchResult.HeapPoint("paced", 60L << 20, 2_000), new BenchResult.HeapPoint("backlog", 62L << 20, 3_000)),
                ceiling, null, 700L << 20, List.of(new BenchMonitor.Sample(1, 500L << 20, 1_024)), 4_096, 0, 0,
                log.firstDeliveries(), log.offHeapBytes(),
                Map.of("steady", List.of(new SpanBreakdown.Span("commit_to_captured", 2_000, 12.0, 45.0))));
    }

    @Test
    void the_json_and_the_csv_agree_on_every_count_and_percentile(@TempDir Path dir) throws Exception {
        LatencyLog log = new LatencyLog(1);
        RowPhases phases = new RowPhases(1);
        BenchResult result = run(log, phases);

        Path csv = dir.resolve("received.csv");
        int lines = ReceivedCsv.write(csv, log, phases);
        Path jsonFile = dir.resolve("bench.json");
        BenchJson.write(jsonFile, BenchJson.of(result, Map.of("csv", csv.toString())));
        JsonNode json = Json.mapper().readTree(jsonFile.toFile());
        List<String> csvLines = Files.readAllLines(csv);

        assertThat(csvLines.get(0)).isEqualTo(ReceivedCsv.HEADER);
        assertThat(csvLines).hasSize(lines + 1);
        assertThat(json.at("/receiver/answers").asInt()).isEqualTo(lines).isEqualTo(2_000 + 200 + 1 + 1_000);
        assertThat(json.at("/receiver/duplicates").asInt()).isEqualTo(1);
        assertThat(json.at("/receiver/not_2xx").asInt()).isEqualTo(200);
        for (String phase : List.of("warmup", "steady", "backlog")) {
            long[] latencies = firstDeliveries(csvLines, phase);
            java.util.Arrays.sort(latencies);
            JsonNode stats = json.at("/latency_ms/" + phase);
            assertThat(stats.get("count").asInt()).as(phase).isEqualTo(latencies.length);
            assertThat(stats.get("p50").asLong()).as(phase).isEqualTo(rank(latencies, 0.50));
            assertThat(stats.get("p95").asLong()).as(phase).isEqualTo(rank(latencies, 0.95));
            assertThat(stats.get("p99").asLong()).as(phase).isEqualTo(rank(latencies, 0.99));
            assertThat(stats.get("max").asLong()).as(phase).isEqualTo(latencies[latencies.length - 1]);
        }
        assertThat(json.at("/latency_ms/warmup/count").asInt()).isEqualTo(500);
        assertThat(json.at("/per_second").size()).isEqualTo(5);
        int perSecondTotal = 0;
        for (JsonNode second : json.at("/per_second")) {
            perSecondTotal += second.get("count").asInt();
        }
        assertThat(perSecondTotal).isEqualTo(3_000);
        assertThat(json.at("/backlog_drain/per_second").asDouble()).isCloseTo(1_000 * 1000.0 / (100 + 999 / 4), within(0.05));
        assertThat(json.at("/raw_ceiling/best_per_second").asDouble()).isEqualTo(5_000.0);
        assertThat(json.at("/options/rate").asInt()).isEqualTo(500);
        assertThat(json.at("/expected_webhooks/paced").asInt()).isEqualTo(2_000);
        assertThat(json.at("/expected_webhooks/backlog").asInt()).isEqualTo(1_000);
        assertThat(json.at("/rows/paced_appointments").asInt()).isEqualTo(1_000);
        assertThat(json.at("/machine/cores").asInt()).isPositive();
        assertThat(json.at("/breakdown_ms/steady/commit_to_captured/p99_bucket").asDouble()).isEqualTo(45.0);
        assertThat(json.at("/files/csv").asText()).isEqualTo(csv.toString());
    }

    @Test
    void each_target_is_a_line_marked_met_or_not_with_its_figure() {
        LatencyLog log = new LatencyLog(1);
        BenchResult result = run(log, new RowPhases(1));

        String table = BenchReport.table(result);

        // Steady p50 is small, but 10% of webhooks waited for a retry 5 s later: p99 misses the target.
        assertThat(table).contains("\n  p50 steady ≤ 50 ms: met (30 ms)\n")
                .containsPattern("\n  p99 steady ≤ 250 ms: not met \\(5,0\\d\\d ms\\)\n")
                .contains("\n  backlog drain ≥ 3,000/s: not met (2,865/s)\n")
                .contains("\n  drain / raw ceiling ≥ 0.70: not met (0.57)\n")
                .contains("\n  peak RSS ≤ 768 MiB: met (700.0 MiB)\n")
                .contains("| paced | 2,000 of 2,000 transactions (1,000 appointments) at 500.0/s, asked 500/s for 4 s |")
                .contains("| backlog | 500 appointments (1,000 webhooks) |")
                .contains("| live heap after GC | 60.0 MiB at 2,000 delivered (after paced); 62.0 MiB at 3,000 delivered (after backlog) |")
                .contains("| slot lag | max 4.0 KiB, at the end 0 B |")
                .contains("| receiver answers | 3,201: 3,000 webhooks delivered, 1 duplicates, 200 not 2xx, 0 bad signatures |")
                .contains("| missing webhooks | 0 paced, 0 backlog |")
                .contains("| steady | commit_to_captured | 2,000 | ≤ 12 | ≤ 45 |");
        assertThat(BenchReport.targets(result)).extracting(BenchReport.Target::name).containsExactly("p50 steady", "p99 steady",
                "p99 warm-up", "backlog drain", "drain / raw ceiling", "peak RSS");
    }

    @Test
    void a_target_a_run_did_not_measure_says_so() {
        LatencyLog log = new LatencyLog(1);
        RowPhases phases = new RowPhases(1);
        phases.pacedStarted(START, 1_000);
        BenchResult result = new BenchResult(OPTIONS, "2026-12-02T10:00:00Z", RunAnalysis.analyze(log::forEach, phases),
                new RowWriter.Paced(0, 2_000, 0, START, START + 4_000), null, 2_000, 0, List.of(), null,
                "no webhook was delivered, so there is no body to post", -1, List.of(), -1, -1, 0, 0, 0, Map.of());

        String table = BenchReport.table(result);

        assertThat(table).contains("\n  p50 steady ≤ 50 ms: not measured\n", "\n  backlog drain ≥ 3,000/s: not measured\n",
                "\n  peak RSS ≤ 768 MiB: not measured\n", "| backlog | skipped (paced webhooks missing) |",
                "| raw HTTP ceiling | not measured: no webhook was delivered, so there is no body to post |",
                "| missing webhooks | 2,000 paced, 0 backlog |");
    }

    /** Latencies of each key's first 2xx, from the CSV alone. */
    private static long[] firstDeliveries(List<String> csvLines, String phase) {
        Set<String> seen = new HashSet<>();
        return csvLines.stream().skip(1).map(line -> line.split(","))
                .filter(f -> f[5].equals(phase) && f[3].startsWith("2") && seen.add(f[0]))
                .mapToLong(f -> Long.parseLong(f[2]) - Long.parseLong(f[1])).toArray();
    }

    private static long rank(long[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
}
