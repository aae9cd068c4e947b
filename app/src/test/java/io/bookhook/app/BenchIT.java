package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code bookhook bench} in a process of its own, briefly and at a low rate, and checks that it exits
 * 0, that every appointment it wrote arrived (created and confirmed), and that the table, bench.json, received.csv and
 * the chart are written and agree with each other: every figure is recomputed here from the receiver's log
 * (received.csv). No timing is asserted. The first run is on the embedded stack, with a receiver that answers late and
 * fails some requests; the second uses {@code --servers env} against a stack in this JVM, in a database that already
 * holds another writer's appointment.
 */
class BenchIT {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    void a_short_bench_on_the_embedded_stack_writes_a_table_json_csv_and_chart_that_agree(@TempDir Path out) throws Exception {
        // Retried soon, so the 500s the receiver answers on purpose do not hold the run up for the default 5 s.
        Map<String, String> quickRetries = Map.of("BOOKHOOK_RETRY_FIRST_INTERVAL", "100ms");

        Result result = runBench(quickRetries, out, "--rate", "20", "--duration", "5s", "--warmup", "2s", "--backlog", "300",
                "--receiver-latency", "20ms", "--failure-rate", "0.1", "--ceiling-duration", "1s");

        assertThat(result.exitCode()).as("exit code, output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("✔ Postgres (wal_level=logical)", "✔ capture streaming", "✔ sink running")
                .contains("bench receiver at http://127.0.0.1:", "(answers after 20 ms, 10% 500)")
                .contains("| phase | webhooks | p50 | p95 | p99 | max |", "| warm-up (first 2 s) |", "| steady |", "| backlog |")
                .contains("| peak RSS (VmHWM) |", "| slot lag |", "| raw HTTP ceiling |", "  p99 steady ≤ 250 ms: ")
                .doesNotContain("INFO").doesNotContain("WARN");
        checkOutputs(result, out, 100, 300);
        // About 10% of 700 webhooks' first attempts: none failing would mean --failure-rate did nothing.
        assertThat(Json.mapper().readTree(out.resolve("bench.json").toFile()).at("/receiver/not_2xx").asInt()).isPositive();
    }

    @Test
    void a_short_bench_against_the_servers_of_the_environment(@TempDir Path out) throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("bench_env");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);
        try (Connection db = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
             Statement sql = db.createStatement()) {
            // Another writer's appointment, there before the bench: not one of the bench's rows.
            sql.execute("INSERT INTO appointments_salon (name) VALUES ('Elsewhere')");
            sql.execute("INSERT INTO appointments_customer (name) VALUES ('Someone')");
            sql.execute("INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Trim', 15, 10)");
            sql.execute("INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at) "
                    + "VALUES (1, 1, 1, now(), now() + interval '15 minutes')");
        }
        Map<String, String> environment = new HashMap<>(TestEnvironments.pipeline(stack, name, "http://unused.invalid/", "env-secret"));
        environment.remove("MAKE_WEBHOOK_URL");

        Result result = runBench(environment, out, "--servers", "env", "--rate", "20", "--duration", "4s", "--warmup", "1s",
                "--backlog", "100", "--ceiling-duration", "1s");

        assertThat(result.exitCode()).as("exit code, output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("warning: --servers env: the bench inserts")
                .doesNotContain("✔ Postgres (wal_level=logical)").contains("✔ capture streaming (Debezium, slot '" + name + "')");
        checkOutputs(result, out, 80, 100);
    }

    /**
     * Every appointment the bench wrote arrived, booked and confirmed, and the JSON's counts and percentiles agree with
     * received.csv, recomputed here independently; the chart is a PNG.
     */
    private static void checkOutputs(Result result, Path out, int pacedTransactions, int backlogAppointments) throws IOException {
        Path jsonFile = out.resolve("bench.json");
        Path csvFile = out.resolve("received.csv");
        Path chart = out.resolve("latency.png");
        assertThat(result.output()).contains("figures (JSON): " + jsonFile, "every answer of the receiver (CSV): " + csvFile,
                "latency chart: " + chart);
        JsonNode json = Json.mapper().readTree(jsonFile.toFile());
        List<String[]> csv = Files.readAllLines(csvFile).stream().skip(1).map(line -> line.split(",", -1)).toList();

        assertThat(json.at("/rows/paced_transactions_scheduled").asInt()).isEqualTo(pacedTransactions);
        assertThat(json.at("/rows/paced_transactions").asInt()).isEqualTo(pacedTransactions);
        assertThat(json.at("/rows/paced_appointments").asInt()).isEqualTo(pacedTransactions / 2);
        assertThat(json.at("/rows/backlog_appointments").asInt()).isEqualTo(backlogAppointments);
        assertThat(json.at("/expected_webhooks/paced").asInt()).isEqualTo(pacedTransactions);
        assertThat(json.at("/expected_webhooks/backlog").asInt()).isEqualTo(2 * backlogAppointments);
        assertThat(json.at("/missing/paced").asInt()).isZero();
        assertThat(json.at("/missing/backlog").asInt()).isZero();
        assertThat(json.at("/receiver/answers").asInt()).isEqualTo(csv.size());
        assertThat(json.at("/receiver/bad_signatures").asInt()).isZero();

        Map<String, List<Long>> latenciesByPhase = new HashMap<>();
        Map<String, Map<String, Set<String>>> eventsByPhaseAndAppointment = new HashMap<>();
        Set<String> delivered = new HashSet<>();
        int duplicates = 0;
        int not2xx = 0;
        for (String[] line : csv) {
            assertThat(line).hasSize(6);
            if (!line[3].startsWith("2")) {
                not2xx++;
                continue;
            }
            if (!delivered.add(line[0])) {
                duplicates++;
                continue;
            }
            // An appointment's two webhooks may straddle the warm-up's end: warm-up and steady are one paced phase here.
            String phase = line[5].equals("warmup") || line[5].equals("steady") ? "paced" : line[5];
            String[] key = line[0].split(":"); // appointment:{id}:{event_type}
            eventsByPhaseAndAppointment.computeIfAbsent(phase, p -> new HashMap<>()).computeIfAbsent(key[1], id -> new HashSet<>()).add(key[2]);
            latenciesByPhase.computeIfAbsent(line[5], p -> new ArrayList<>()).add(Long.parseLong(line[2]) - Long.parseLong(line[1]));
        }
        assertThat(json.at("/receiver/duplicates").asInt()).isEqualTo(duplicates);
        assertThat(json.at("/receiver/not_2xx").asInt()).isEqualTo(not2xx);
        assertThat(eventsByPhaseAndAppointment).containsOnlyKeys("paced", "backlog");
        assertThat(eventsByPhaseAndAppointment.get("paced")).hasSize(pacedTransactions / 2)
                .allSatisfy((id, events) -> assertThat(events).as("appointment %s", id).containsExactlyInAnyOrder("created", "confirmed"));
        assertThat(eventsByPhaseAndAppointment.get("backlog")).hasSize(backlogAppointments)
                .allSatisfy((id, events) -> assertThat(events).as("appointment %s", id).containsExactlyInAnyOrder("created", "confirmed"));
        for (String phase : List.of("warmup", "steady", "backlog")) {
            long[] sorted = latenciesByPhase.get(phase).stream().mapToLong(Long::longValue).sorted().toArray();
            JsonNode stats = json.at("/latency_ms/" + phase);
            assertThat(stats.get("count").asInt()).as(phase).isEqualTo(sorted.length);
            assertThat(stats.get("p50").asLong()).as(phase + " p50").isEqualTo(nearestRank(sorted, 50));
            assertThat(stats.get("p95").asLong()).as(phase + " p95").isEqualTo(nearestRank(sorted, 95));
            assertThat(stats.get("p99").asLong()).as(phase + " p99").isEqualTo(nearestRank(sorted, 99));
            assertThat(stats.get("max").asLong()).as(phase + " max").isEqualTo(sorted[sorted.length - 1]);
        }
        int perSecond = 0;
        for (JsonNode second : json.at("/per_second")) {
            perSecond += second.get("count").asInt();
        }
        assertThat(perSecond).isEqualTo(pacedTransactions + 2 * backlogAppointments);
        assertThat(json.at("/raw_ceiling/best_per_second").asDouble()).isPositive();
        assertThat(json.at("/memory/peak_rss_bytes").asLong()).isPositive();
        assertThat(json.at("/memory/heap_after_gc")).hasSize(2);

        assertThat(chart).exists();
        assertThat(Arrays.copyOf(Files.readAllBytes(chart), PNG_MAGIC.length)).isEqualTo(PNG_MAGIC);
    }

    /** ⌈p/100 × n⌉-th smallest, by a different route than the bench's integer arithmetic. */
    private static long nearestRank(long[] sorted, int percent) {
        return sorted[(int) Math.ceil(percent / 100.0 * sorted.length) - 1];
    }

    record Result(int exitCode, String output) {
    }

    private static Result runBench(Map<String, String> environment, Path out, String... options) throws IOException, InterruptedException {
        Path jar = Path.of("target", "bookhook.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path output = Files.createTempFile("bookhook-bench-it", ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "bench", "--out", out.toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("BOOKHOOK_") || variable.startsWith("MAKE_WEBHOOK_"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process bench = builder.start();
        if (!bench.waitFor(4, TimeUnit.MINUTES)) {
            bench.destroyForcibly();
            throw new AssertionError("bench did not finish within 4 minutes:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(bench.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
