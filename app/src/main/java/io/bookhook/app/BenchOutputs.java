package io.bookhook.app;

import io.bookhook.app.bench.BenchJson;
import io.bookhook.app.bench.BenchOptions;
import io.bookhook.app.bench.BenchReport;
import io.bookhook.app.bench.BenchResult;
import io.bookhook.app.bench.LatencyChart;
import io.bookhook.app.bench.LatencyLog;
import io.bookhook.app.bench.ReceivedCsv;
import io.bookhook.app.bench.RowPhases;
import io.bookhook.app.bench.RunAnalysis;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a bench run leaves: bench.json, received.csv and latency.png in its directory, and the summary table with
 * what went wrong on the terminal.
 */
final class BenchOutputs {

    private BenchOutputs() {
    }

    /** Writes the files and the summary; returns the exit code: 0 when the run completed, whether targets were met or not. */
    static int write(Path dir, BenchOptions options, BenchPhases.Outcome outcome, LatencyLog log, RowPhases phases, PrintStream stdout)
            throws IOException {
        BenchResult result = outcome.result();
        Map<String, String> files = new LinkedHashMap<>();
        Path json = dir.resolve("bench.json");
        Path csv = dir.resolve("received.csv");
        Path chart = dir.resolve("latency.png");
        files.put("json", json.toString());
        files.put("csv", csv.toString());
        ReceivedCsv.write(csv, log, phases);
        String chartProblem = null;
        try {
            LatencyChart.writePng(chart, outcome.figures().seconds(), boundaries(options, outcome.figures(), phases));
            files.put("chart", chart.toString());
        } catch (Exception | LinkageError e) {
            chartProblem = OneLineErrors.describe(e);
        }
        files.put("log", dir.resolve("bookhook.log").toString());
        BenchJson.write(json, BenchJson.of(result, files));

        stdout.println();
        stdout.print(BenchReport.table(result));
        stdout.println();
        outcome.failures().forEach(failure -> stdout.println("pipeline failed: " + failure));
        if (outcome.slotLagProblem() != null) {
            stdout.println("the slot lag could not be read: " + outcome.slotLagProblem());
        }
        if (result.missing() > 0) {
            stdout.printf(Locale.ROOT, "%,d webhooks went missing (%,d paced, %,d backlog) within --drain-timeout %s%n", result.missing(),
                    result.missingPaced(), result.missingBacklog(), BenchPhases.seconds(options.drainTimeout()));
        }
        stdout.println("figures (JSON): " + json);
        stdout.println("every answer of the receiver (CSV): " + csv);
        stdout.println(chartProblem == null ? "latency chart: " + chart : "the latency chart was not written: " + chartProblem);
        return outcome.failures().isEmpty() && result.missing() == 0 ? 0 : OneLineErrors.FAILURE;
    }

    /** The phase boundaries drawn on the chart, in seconds of the run. */
    private static Map<String, Double> boundaries(BenchOptions options, RunAnalysis.Figures figures, RowPhases phases) {
        Map<String, Double> lines = new LinkedHashMap<>();
        if (!options.warmup().isZero()) {
            lines.put("warm-up ends", options.warmup().toMillis() / 1000.0);
        }
        lines.put("paced ends", options.duration().toMillis() / 1000.0);
        if (figures.drain().webhooks() > 0) {
            lines.put("backlog starts", (figures.drain().firstCommitMs() - phases.pacedStartMs()) / 1000.0);
        }
        return lines;
    }
}
