package io.bookhook.app;

import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.runtime.Readiness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
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
        DeriveSettings deriveSettings = settings.derive();
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageTopics topics = StageTopics.of(settings);
        Duration kafkaWait = settings.kafkaConnectTimeout();
        AtomicReference<DeriveStreams> derive = new AtomicReference<>();
        AutoCloseable endpoints = StageEndpoints.start(stagePort,
                Readiness.of(() -> derive.get() != null && derive.get().state() == KafkaStreams.State.RUNNING, "Kafka Streams to reach RUNNING"));
        try {
            KafkaReachability.require(settings.env().kafkaClient(), kafkaWait);
            topics.ensure();
            derive.set(DeriveStreams.start(deriveSettings));
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
        return StageRunner.runUntilStopped("derive", () -> {
            endpoints.close();
            derive.get().close();
        }, derive.get().stopped());
    }
}
