package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureFailedException;
import io.bookhook.capture.CapturePreflight;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.runtime.Readiness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
        // Every setting first, then the checks (port, Kafka, Postgres and the mapping), and only then the topics:
        // a capture refused for a wrong mapping leaves nothing behind in Kafka.
        BookhookSettings settings = new BookhookSettings(environment);
        CaptureSettings capture = settings.capture();
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageTopics topics = StageTopics.of(settings);
        Duration kafkaWait = settings.kafkaConnectTimeout();
        AtomicReference<CaptureEngine> engine = new AtomicReference<>();
        AutoCloseable endpoints = StageEndpoints.start(stagePort, Readiness.of(() -> engine.get() != null && engine.get().isStreaming(),
                "the replication slot '" + capture.slotName() + "' to be read"));
        try {
            KafkaReachability.require(settings.env().kafkaClient(), kafkaWait);
            startCheck(() -> CapturePreflight.check(capture));
            topics.ensure();
            engine.set(startChecked(() -> CaptureEngine.start(capture)));
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
        engine.get().awaitStreaming(Duration.ofMinutes(5));
        return StageRunner.runUntilStopped("capture", () -> {
            endpoints.close();
            engine.get().close();
        }, engine.get().stopped());
    }

    /** Capture's checks of Postgres (reachable, wal_level, the mapping's tables and columns, the slot) are start checks. */
    private static <T> T startChecked(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (CaptureFailedException e) {
            throw new PreflightException(e.getMessage(), e);
        }
    }

    private static void startCheck(Runnable check) {
        startChecked(() -> {
            check.run();
            return null;
        });
    }
}
