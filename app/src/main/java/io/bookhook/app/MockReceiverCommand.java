package io.bookhook.app;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mock-receiver", mixinStandardHelpOptions = true,
        description = {"A local webhook receiver: checks each X-Make-Signature against MAKE_WEBHOOK_SECRET",
                "and, if BOOKHOOK_STANDARD_WEBHOOK_SECRETS is set, each webhook-signature against them;",
                "prints each event in one line, answers 401 to a bad signature, and can be told to fail or stall."})
final class MockReceiverCommand implements Callable<Integer> {

    private static final String STANDARD_SECRETS = "BOOKHOOK_STANDARD_WEBHOOK_SECRETS";

    private final Map<String, String> environment;

    MockReceiverCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8099", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--fail-first", defaultValue = "0", description = "Answer --fail-status to the first N valid requests.")
    int failFirst;

    @Option(names = "--fail-status", defaultValue = "500", description = "Status for --fail-first (default: ${DEFAULT-VALUE}).")
    int failStatus;

    @Option(names = "--stall", defaultValue = "0ms", converter = Durations.class,
            description = "Wait this long before answering, e.g. 30s (default: ${DEFAULT-VALUE}).")
    Duration stall;

    @Override
    public Integer call() throws InterruptedException {
        Env env = new Env(environment);
        String secret = env.required("MAKE_WEBHOOK_SECRET");
        List<String> standardSecrets = env.list(STANDARD_SECRETS);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        MockReceiverConfig config = MockReceiverConfig.defaults(secret).withHost(host).withPort(port)
                .withFailFirst(failFirst, failStatus).withStall(stall);
        try {
            config = config.withStandardSecrets(standardSecrets);
        } catch (IllegalArgumentException e) {
            // The message names the secret's position ("standard webhook secret 2 ..."), never its value.
            throw new SettingsException(STANDARD_SECRETS + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (MockReceiver receiver = MockReceiver.start(config, out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            out.println("mock receiver listening on " + receiver.url() + " (Ctrl-C to stop)");
            stopped.await();
        }
        return 0;
    }
}
