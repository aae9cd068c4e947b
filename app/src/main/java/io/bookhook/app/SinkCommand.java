package io.bookhook.app;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Posts each appointment event, signed, to MAKE_WEBHOOK_URL and records every delivery in bookhook.delivery-ledger.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics.",
                "",
                "Exit codes: 1 failed while running, 2 missing or malformed setting, 3 a start check failed (port, Kafka, topics); 143 stopped by SIGTERM."})
final class SinkCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    SinkCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        return StageRunner.run(settings, StageStart.sink(settings.sink()));
    }
}
