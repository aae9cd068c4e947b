package io.bookhook.app;

import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.ReferenceSchema;
import io.bookhook.ledger.LedgerReader;
import io.bookhook.ledger.LedgerTable;
import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.sink.EndpointSettings;
import io.bookhook.sink.EndpointsFile;
import io.bookhook.sink.SinkVariables;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs everything on an embedded Postgres and Kafka: capture, derive, sink and a local receiver;",
                "books and confirms sample appointments and shows the webhooks delivered and the ledger.",
                "With MAKE_WEBHOOK_URL set, posts there (signed with MAKE_WEBHOOK_SECRET) instead of the local receiver."})
final class DemoCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    DemoCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static final String DEMO_SECRET = "bookhook-demo-secret";

    @Option(names = "--keep-running", description = "After the deliveries, keep everything running (admin page included) until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--timeout", defaultValue = "120s", converter = Durations.class,
            description = "How long to wait for the deliveries (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, String> environment = new HashMap<>(this.environment);
        Path logFile = Files.createTempDirectory("bookhook-demo-").resolve("bookhook.log");
        DemoLogging.toFile(logFile);
        Progress progress = new Progress(out);

        out.println("bookhook demo");
        out.println("  logs of Kafka, Debezium and Postgres: " + logFile);
        Optional<String> endpointsFile = new Env(environment).optional(SinkVariables.ENDPOINTS_FILE);
        Optional<String> externalUrl = endpointsFile.isPresent() ? Optional.empty() : new Env(environment).optional("MAKE_WEBHOOK_URL");
        List<String> targets;
        if (endpointsFile.isPresent()) {
            List<EndpointSettings> endpoints = EndpointsFile.read(Path.of(endpointsFile.get()), new Env(environment)::optional);
            targets = endpoints.stream().map(e -> e.url().toString()).toList();
            out.println("  posting to the endpoints of " + SinkVariables.ENDPOINTS_FILE + ": "
                    + String.join(", ", endpoints.stream().map(EndpointSettings::name).toList()));
        } else {
            if (new Env(environment).optional("MAKE_WEBHOOK_SECRET").isEmpty()) {
                environment.put("MAKE_WEBHOOK_SECRET", DEMO_SECRET);
                out.println("  MAKE_WEBHOOK_SECRET is not set: signing with the demo secret '" + DEMO_SECRET + "'");
            }
            targets = externalUrl.map(List::of).orElse(List.of());
        }
        if (targets.stream().allMatch(DemoCommand::isLoopback)) {
            // The receivers listen on loopback, which the sink refuses by default (SSRF protection).
            environment.putIfAbsent("BOOKHOOK_ALLOW_PRIVATE_TARGETS", "true");
            out.println("  posting to loopback is allowed for the demo (BOOKHOOK_ALLOW_PRIVATE_TARGETS=true)");
        }

        try (EmbeddedStack stack = EmbeddedStack.start()) {
            progress.done("Postgres (wal_level=logical) on port " + stack.postgres().port(), stack.postgresStartup());
            progress.done("Kafka (KRaft) at " + stack.kafka().bootstrapServers(), stack.kafkaStartup());
            progress.step("reference schema applied", () -> {
                ReferenceSchema.apply(stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password());
                return null;
            });
            environment.putAll(stackEnvironment(stack));

            MockReceiver receiver = null;
            if (externalUrl.isEmpty() && endpointsFile.isEmpty()) {
                receiver = progress.step("mock receiver listening", () -> MockReceiver.start(
                        MockReceiverConfig.defaults(environment.get("MAKE_WEBHOOK_SECRET")).withPort(0)
                                .withStandardSecrets(new Env(environment).list("BOOKHOOK_STANDARD_WEBHOOK_SECRETS")), out));
                environment.put("MAKE_WEBHOOK_URL", receiver.url().toString());
            }
            BookhookSettings settings = new BookhookSettings(environment);
            try (MockReceiver closeReceiver = receiver;
                    Pipeline pipeline = Pipeline.start(settings, progress);
                    DemoAdmin admin = progress.step("admin page and metrics", () -> DemoAdmin.start(settings))) {
                out.println("  admin page: " + admin.uri() + "  (no token: it listens on loopback only; metrics: "
                        + admin.uri().resolve("metrics") + ")");
                if (endpointsFile.isEmpty()) {
                    out.println("  posting to " + (externalUrl.isPresent() ? "MAKE_WEBHOOK_URL" : environment.get("MAKE_WEBHOOK_URL")));
                }
                out.println();
                out.println("Booking: 1 salon, 2 stylists, 2 services, 3 customers, 3 appointments; confirming the first");
                DemoData.Booked booked = new DemoData(stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password())
                        .insertAndConfirm();
                int expected = DemoData.expectedDeliveries(settings.sink().endpoints());
                Map<String, DeliveryRecord> ledger = awaitDeliveries(settings, expected, timeout);
                out.println();
                if (receiver != null && !receiver.received().isEmpty()) {
                    ReceivedRequest first = receiver.received().get(0);
                    out.printf("First webhook received %d ms after the first appointment was inserted%n",
                            Duration.between(booked.firstAppointmentInsertedAt(), first.at()).toMillis());
                }
                out.println("Delivery ledger (" + ledger.size() + " deliveries):");
                out.print(LedgerTable.render(ledger.values()));
                long delivered = ledger.values().stream().filter(r -> r.status() == DeliveryStatus.DELIVERED).count();
                if (keepRunning) {
                    out.println();
                    out.println("Still running: insert rows on port " + stack.postgres().port() + " (user postgres), open "
                            + admin.uri() + "; Ctrl-C stops.");
                    new java.util.concurrent.CountDownLatch(1).await();
                }
                return delivered == expected ? 0 : 1;
            }
        }
    }

    private static boolean isLoopback(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host != null && java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return false;
        }
    }

    private static Map<String, DeliveryRecord> awaitDeliveries(BookhookSettings settings, int expected, Duration timeout)
            throws InterruptedException {
        LedgerReader reader = new LedgerReader(settings.env().kafkaClient(), settings.topics().deliveryLedger());
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, DeliveryRecord> ledger = Map.of();
        while (System.nanoTime() < deadline) {
            ledger = reader.snapshot(Duration.ofSeconds(5));
            long settled = ledger.values().stream()
                    .filter(r -> r.status() == DeliveryStatus.DELIVERED || r.status() == DeliveryStatus.FAILED).count();
            if (settled >= expected) {
                return ledger;
            }
            Thread.sleep(250);
        }
        return ledger;
    }

    /** The embedded stack as the environment the stages read (the demo's and the bench's). */
    static Map<String, String> stackEnvironment(EmbeddedStack stack) {
        Map<String, String> environment = new HashMap<>();
        environment.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        environment.put("BOOKHOOK_POSTGRES_HOST", stack.postgres().host());
        environment.put("BOOKHOOK_POSTGRES_PORT", Integer.toString(stack.postgres().port()));
        environment.put("BOOKHOOK_POSTGRES_DB", stack.postgres().database());
        environment.put("BOOKHOOK_POSTGRES_USER", stack.postgres().user());
        environment.put("BOOKHOOK_POSTGRES_PASSWORD", stack.postgres().password());
        environment.put(SharedSettings.STATE_DIR.name(), stack.workDir().resolve("streams").toString());
        return environment;
    }
}
