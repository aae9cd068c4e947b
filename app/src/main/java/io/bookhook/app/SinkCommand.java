package io.bookhook.app;

import io.bookhook.runtime.Readiness;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
        SinkSettings sinkSettings = settings.sink();
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageTopics topics = StageTopics.of(settings);
        Duration kafkaWait = settings.kafkaConnectTimeout();
        AtomicReference<WebhookSink> sink = new AtomicReference<>();
        AutoCloseable endpoints = StageEndpoints.start(stagePort,
                Readiness.of(() -> sink.get() != null && sink.get().isRunning(), "the sink to read the ledger and poll"));
        try {
            KafkaReachability.require(settings.env().kafkaClient(), kafkaWait);
            topics.ensure();
            sink.set(new WebhookSink(sinkSettings));
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
        Thread worker = new Thread(sink.get(), "bookhook-sink");
        worker.start();
        return StageRunner.runUntilStopped("sink", () -> {
            endpoints.close();
            sink.get().close();
        }, sink.get().stopped());
    }
}
