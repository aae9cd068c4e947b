package io.bookhook.app;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Streams the booking tables from Postgres (logical replication, pgoutput) to bookhook.cdc.<table>.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics.",
                "",
                "Exit codes: 1 failed while running, 2 missing or malformed setting, 3 a start check failed (port, Kafka, Postgres, topics); 143 stopped by SIGTERM."})
final class CaptureCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    CaptureCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        // Every setting first (capture's own, then the shared ones), then the checks (port, Kafka, Postgres and the
        // mapping), and only then the topics: a capture refused for a wrong mapping leaves nothing behind in Kafka.
        BookhookSettings settings = new BookhookSettings(environment);
        return StageRunner.run(settings, StageStart.capture(settings.capture()));
    }
}
