package io.bookhook.app;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "derive", mixinStandardHelpOptions = true,
        description = {"Derives created / confirmed appointment events (Kafka Streams, exactly once) onto bookhook.appointment-events.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics.",
                "",
                "Exit codes: 1 failed while running, 2 missing or malformed setting, 3 a start check failed (port, Kafka, topics); 143 stopped by SIGTERM."})
final class DeriveCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    DeriveCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        return StageRunner.run(settings, StageStart.derive(settings.derive()));
    }
}
