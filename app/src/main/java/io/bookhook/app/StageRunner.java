package io.bookhook.app;

import io.bookhook.runtime.Readiness;
import io.bookhook.runtime.Stage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a stage the one way every host of it does (the stage commands, and the {@link Pipeline} of the demo, the bench
 * and the end-to-end tests): Kafka answers, the stage's own start checks pass, its topics exist, then it starts. A stage
 * command (and the admin) also keeps it running until it stops by itself or the process is asked to stop, then closes it.
 */
final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    /** How long a host that must wait for a stage to be ready (the {@link Pipeline}) waits. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final StageTopics topics;
    private final Map<String, String> kafkaClient;
    private final Duration kafkaWait;

    /** Reads the settings every stage shares; a bad one stops the stage here, naming it, before anything is contacted. */
    StageRunner(BookhookSettings settings) {
        this.topics = StageTopics.of(settings);
        this.kafkaWait = settings.kafkaConnectTimeout();
        this.kafkaClient = settings.env().kafkaClient();
    }

    /**
     * A stage command, in the order README promises so that the first thing wrong is the one reported: the stage's own
     * settings were read by the caller; then the shared ones, the health port, the start checks (Kafka, then the
     * stage's), the topics, the start. Returns 0 when the stage stopped because we asked; rethrows its failure otherwise.
     */
    static int run(BookhookSettings settings, StageStart<?> stage) throws Exception {
        BookhookSettings.StagePort stagePort = settings.stagePort();
        StageRunner runner = new StageRunner(settings);
        AtomicReference<Stage> started = new AtomicReference<>();
        AutoCloseable endpoints = StageEndpoints.start(stagePort, readiness(stage.name(), started));
        try {
            started.set(runner.start(stage));
            if (stage.readyWithin().isPresent()) {
                started.get().awaitReady(stage.readyWithin().get());
            }
        } catch (Exception | Error e) {
            endpoints.close();
            if (started.get() != null) {
                started.get().close();
            }
            throw e;
        }
        Stage running = started.get();
        return runUntilStopped(stage.name(), () -> {
            endpoints.close();
            running.close();
        }, running.stopped());
    }

    /** Kafka answers within the connect timeout, the stage's own checks pass, its topics exist: each a start check (exit 3). */
    void prepare(StageStart<?> stage) throws InterruptedException {
        KafkaReachability.require(kafkaClient, kafkaWait);
        stage.check().run();
        topics.ensure();
    }

    /** {@link #prepare}, then the stage started, running on threads of its own. */
    <S extends Stage> S start(StageStart<S> stage) throws InterruptedException {
        prepare(stage);
        return stage.starter().start();
    }

    /** Before the stage exists, the port answers that it waits for it to start; then the stage answers. */
    private static Readiness readiness(String name, AtomicReference<Stage> started) {
        return new Readiness() {
            @Override
            public boolean ready() {
                Stage stage = started.get();
                return stage != null && stage.readiness().ready();
            }

            @Override
            public String waitingFor() {
                Stage stage = started.get();
                return stage == null ? name + " to start" : stage.readiness().waitingFor();
            }
        };
    }

    /**
     * Keeps what runs (a stage and its health port, or the admin) running until it stops by itself or the process is asked
     * to stop (a shutdown hook closes it), then closes it. Returns 0 when it stopped because we asked; rethrows its failure.
     */
    static int runUntilStopped(String name, AutoCloseable running, CompletableFuture<Void> stopped) throws Exception {
        Thread hook = new Thread(() -> closeQuietly(name, running), "bookhook-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("{} running", name);
        try {
            stopped.join();
            return 0;
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeQuietly(name, running);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already closing the stage
            }
        }
    }

    private static void closeQuietly(String name, AutoCloseable stage) {
        try {
            stage.close();
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly", name, e);
        }
    }
}
