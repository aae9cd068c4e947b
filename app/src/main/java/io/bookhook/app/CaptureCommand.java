package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.ledger.admin.Readiness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Streams the booking tables from Postgres (logical replication, pgoutput) to bookhook.cdc.<table>.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics."})
final class CaptureCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    CaptureCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        CaptureSettings capture = settings.capture();
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageTopics.ensure(settings);
        CaptureEngine engine = CaptureEngine.start(capture);
        AutoCloseable endpoints = StageEndpoints.start(stagePort,
                Readiness.of(engine::isStreaming, "the replication slot '" + capture.slotName() + "' to be read"));
        engine.awaitStreaming(Duration.ofMinutes(5));
        return StageRunner.runUntilStopped("capture", () -> {
            endpoints.close();
            engine.close();
        }, engine.stopped());
    }
}
