package io.bookhook.app;

import io.bookhook.ledger.admin.Readiness;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Posts each appointment event, signed, to MAKE_WEBHOOK_URL and records every delivery in bookhook.delivery-ledger.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics."})
final class SinkCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    SinkCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        SinkSettings sinkSettings = settings.sink();
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageTopics.ensure(settings);
        WebhookSink sink = new WebhookSink(sinkSettings);
        Thread worker = new Thread(sink, "bookhook-sink");
        worker.start();
        AutoCloseable endpoints = StageEndpoints.start(stagePort, Readiness.of(sink::isRunning, "the sink to read the ledger and poll"));
        return StageRunner.runUntilStopped("sink", () -> {
            endpoints.close();
            sink.close();
        }, sink.stopped());
    }
}
