package io.bookhook.app;

import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.ledger.admin.Readiness;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;

@Command(name = "derive", mixinStandardHelpOptions = true,
        description = {"Derives created / confirmed appointment events (Kafka Streams, exactly once) onto bookhook.appointment-events.",
                "Health and metrics on BOOKHOOK_ADMIN_PORT (default 8080): /health/live, /health/ready, /metrics."})
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
        StageTopics.ensure(settings);
        DeriveStreams derive = DeriveStreams.start(deriveSettings);
        AutoCloseable endpoints = StageEndpoints.start(stagePort,
                Readiness.of(() -> derive.state() == KafkaStreams.State.RUNNING, "Kafka Streams to reach RUNNING"));
        return StageRunner.runUntilStopped("derive", () -> {
            endpoints.close();
            derive.close();
        }, derive.stopped());
    }
}
