package io.bookhook.app;

import io.bookhook.app.bench.BenchOptions;
import io.bookhook.app.bench.BenchReceiver;
import io.bookhook.app.bench.LatencyLog;
import io.bookhook.app.bench.RowWriter;
import io.bookhook.app.bench.SlotLag;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.ReferenceSchema;
import io.bookhook.runtime.MeterRegistries;
import io.bookhook.sink.SignatureMode;
import io.bookhook.sink.SinkVariables;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bookhook bench}: the whole pipeline in this process (on the embedded stack, or against the environment's
 * servers) posting to the bench's own receiver; paced single-row transactions, then a backlog, then the raw HTTP
 * ceiling. Every latency and rate comes from what the receiver saw. This class only wires; the parts are in
 * {@code io.bookhook.app.bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The end-to-end benchmark: commit→receive latency at a paced rate, backlog drain rate against the raw",
                "HTTP ceiling, peak RSS, live heap after GC and slot lag, measured at the bench's own local receiver.",
                "Runs on an embedded Postgres and Kafka, or (--servers env) on the BOOKHOOK_POSTGRES_* / BOOKHOOK_KAFKA_* servers,",
                "where it inserts rows. Writes bench.json, received.csv and latency.png into --out. Exit code 0 when it ran",
                "(whether the targets were met or not), 1 when the run failed (the stack did not start, webhooks missing",
                "after --drain-timeout), 2 for a bad option.",
                "The sink's settings (BOOKHOOK_MAX_IN_FLIGHT, BOOKHOOK_RETRY_FIRST_INTERVAL, ...) come from the environment."})
final class BenchCommand implements Callable<Integer> {

    static final String BENCH_SECRET = "bookhook-bench-secret";
    private static final DateTimeFormatter OUT_DIR_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Map<String, String> environment;

    BenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Option(names = "--servers", defaultValue = "embedded", paramLabel = "embedded|env",
            description = "embedded: Postgres and Kafka in this process; env: the servers of BOOKHOOK_POSTGRES_* and BOOKHOOK_KAFKA_* (default: ${DEFAULT-VALUE}).")
    BenchOptions.Servers servers;

    @Option(names = "--rate", defaultValue = "500",
            description = "Single-row transactions per second in the paced phase, one webhook each: an appointment is booked in one "
                    + "and confirmed in the next (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", converter = Durations.class,
            description = "Length of the paced phase, warm-up included (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "15s", converter = Durations.class,
            description = "The first part of the paced phase, reported apart (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--backlog", defaultValue = "30000",
            description = "Appointments booked and then confirmed as fast as the database takes them after the paced phase, "
                    + "1,000 per transaction; 0 skips it (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--drain-timeout", defaultValue = "120s", converter = Durations.class,
            description = "How long to wait for the webhooks of each phase (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--receiver-latency", defaultValue = "0ms", converter = Durations.class,
            description = "The receiver answers each webhook after this long (default: ${DEFAULT-VALUE}).")
    Duration receiverLatency;

    @Option(names = "--failure-rate", defaultValue = "0",
            description = "Fraction of webhooks (0.0-1.0) the receiver answers 500 at random; the sink retries them (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--ceiling-duration", defaultValue = "3s", converter = Durations.class,
            description = "How long the raw HTTP ceiling runs at each of 4 and 16 requests in flight (default: ${DEFAULT-VALUE}).")
    Duration ceilingDuration;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where bench.json, received.csv, latency.png and the log go (default: bench-results/<date-time> in the working directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            options = new BenchOptions(servers, rate, duration, warmup, backlog, drainTimeout, receiverLatency, failureRate,
                    ceilingDuration, out);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage());
        }
        Map<String, String> environment = new HashMap<>(this.environment);
        checkEnvironment(new BookhookSettings(environment));

        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(options.out() != null ? options.out()
                : Path.of("bench-results", LocalDateTime.now().format(OUT_DIR_NAME)));
        Path logFile = dir.resolve("bookhook.log");
        DemoLogging.toFile(logFile, "/logback-bench.xml");
        Progress progress = new Progress(stdout);
        stdout.println("bookhook bench");
        stdout.println("  logs of Kafka, Debezium and Postgres: " + logFile);
        if (new Env(environment).optional(SinkVariables.SECRET).isEmpty()) {
            environment.put(SinkVariables.SECRET.name(), BENCH_SECRET);
        }

        boolean embedded = options.servers() == BenchOptions.Servers.EMBEDDED;
        try (EmbeddedStack stack = embedded ? EmbeddedStack.start() : null) {
            if (embedded) {
                progress.done("Postgres (wal_level=logical) on port " + stack.postgres().port(), stack.postgresStartup());
                progress.done("Kafka (KRaft) at " + stack.kafka().bootstrapServers(), stack.kafkaStartup());
                environment.putAll(DemoCommand.stackEnvironment(stack));
            }
            PostgresConnection postgres = new BookhookSettings(environment).postgres();
            if (!embedded) {
                stdout.println("  warning: --servers env: the bench inserts a salon, a stylist, a service, " + RowWriter.CUSTOMERS
                        + " customers and " + String.format(Locale.ROOT, "%,d", options.pacedAppointments() + options.backlog())
                        + " appointments into " + postgres + " and runs capture, derive and the sink with this environment's names");
            }
            progress.step("reference schema tables present", () -> {
                ReferenceSchema.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
                return null;
            });
            try (RowWriter rows = RowWriter.open(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
                LatencyLog log = new LatencyLog(rows.phases().firstAppointmentId());
                try (BenchReceiver receiver = BenchReceiver.start(environment.get(SinkVariables.SECRET.name()), log, options.receiverLatency(),
                        options.failureRate())) {
                    progress.done("bench receiver at " + receiver.url() + " (answers after " + options.receiverLatency().toMillis()
                            + " ms, " + Math.round(options.failureRate() * 100) + "% 500)", Duration.ZERO);
                    environment.put(SinkVariables.WEBHOOK_URL.name(), receiver.url().toString());
                    // The receiver is on loopback, which the sink refuses unless told otherwise.
                    environment.put(SinkVariables.ALLOW_PRIVATE_TARGETS.name(), "true");
                    BookhookSettings settings = new BookhookSettings(environment);
                    // Prometheus's histograms never roll over, so two snapshots bound a phase exactly.
                    PrometheusMeterRegistry registry = MeterRegistries.prometheusWithJvmMeters();
                    Metrics.addRegistry(registry);
                    try (Pipeline pipeline = Pipeline.start(settings, progress)) {
                        return run(options, settings, postgres, rows, receiver, pipeline, registry, dir, stdout);
                    } finally {
                        Metrics.removeRegistry(registry);
                    }
                }
            }
        }
    }

    private int run(BenchOptions options, BookhookSettings settings, PostgresConnection postgres, RowWriter rows,
                    BenchReceiver receiver, Pipeline pipeline, PrometheusMeterRegistry registry, Path dir, PrintStream stdout)
            throws Exception {
        String startedAt = Instant.now().toString();
        SlotLag slotLag = openSlotLag(postgres, settings.capture().slotName(), stdout);
        BenchPhases.Outcome outcome = new BenchPhases(options, rows, receiver, pipeline, registry, stdout).run(startedAt, slotLag);
        closeQuietly(slotLag);
        return BenchOutputs.write(dir, options, outcome, receiver.log(), rows.phases(), stdout);
    }

    private static SlotLag openSlotLag(PostgresConnection postgres, String slotName, PrintStream stdout) {
        try {
            return SlotLag.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), slotName);
        } catch (SQLException e) {
            stdout.println("  slot lag will not be reported: " + e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // Only a monitoring connection.
        }
    }

    /** The bench needs its own receiver and writes the reference schema's tables: refuse settings that say otherwise. */
    private static void checkEnvironment(BookhookSettings settings) {
        Env env = settings.env();
        if (env.optional(SinkVariables.ENDPOINTS_FILE).isPresent()) {
            throw new SettingsException(SinkVariables.ENDPOINTS_FILE + " is set: the bench posts to its own receiver only; unset it to run the bench");
        }
        Optional<String> mode = env.optional(SinkVariables.SIGNATURE_MODE);
        if (mode.isPresent() && mode.get().equalsIgnoreCase(SignatureMode.STANDARD.name())) {
            throw new SettingsException(SinkVariables.SIGNATURE_MODE + " is standard: the bench's receiver checks X-Make-Signature; use make or both");
        }
        if (!settings.tableMapping().equals(TableMapping.referenceSchema())
                || !env.string("BOOKHOOK_POSTGRES_SCHEMA", "public").equals("public")) {
            throw new SettingsException("the bench writes the reference schema's tables: BOOKHOOK_TABLE_*, BOOKHOOK_COLUMN_*, "
                    + "BOOKHOOK_STATUS_* and BOOKHOOK_POSTGRES_SCHEMA must keep their defaults");
        }
    }
}
