package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.runtime.Stage;
import io.bookhook.sink.WebhookSink;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All three stages in one process, started in dependency order and stopped in reverse: what {@code bookhook
 * demo} and {@code bookhook bench} run, and what the end-to-end tests run. Each stage starts through the
 * {@link StageRunner}, from the same settings and with the same checks as its stage command, and is waited for until
 * it is ready: rows inserted before capture streams, or events before the sink joined its group, would be missed or
 * wait for the join. The process serves no stage's health port; the demo's admin page serves {@code /metrics}.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Deque<Stage> started = new ArrayDeque<>();
    private CaptureEngine capture;
    private DeriveStreams derive;
    private WebhookSink sink;

    static Pipeline start(BookhookSettings settings, Progress progress) throws Exception {
        Pipeline pipeline = new Pipeline();
        try {
            pipeline.startStages(settings, progress);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startStages(BookhookSettings settings, Progress progress) throws Exception {
        // As the stage commands do: every setting read, and the database checked against the mapping, before any topic is created.
        CaptureSettings captureSettings = settings.capture();
        StageStart<CaptureEngine> captureStart = StageStart.capture(captureSettings);
        StageStart<DeriveStreams> deriveStart = StageStart.derive(settings.derive());
        StageStart<WebhookSink> sinkStart = StageStart.sink(settings.sink());
        StageRunner runner = new StageRunner(settings);
        progress.step("topics ready", () -> {
            runner.prepare(captureStart);
            return null;
        });
        capture = progress.step("capture streaming (Debezium, slot '" + captureSettings.slotName() + "')",
                () -> awaitReady(captureStart.starter().start()));
        derive = progress.step("derive running (Kafka Streams, exactly_once_v2)", () -> awaitReady(runner.start(deriveStart)));
        sink = progress.step("sink running", () -> awaitReady(runner.start(sinkStart)));
    }

    private <S extends Stage> S awaitReady(S stage) throws InterruptedException {
        started.push(stage);
        stage.awaitReady(StageRunner.START_TIMEOUT);
        return stage;
    }

    CaptureEngine capture() {
        return capture;
    }

    DeriveStreams derive() {
        return derive;
    }

    WebhookSink sink() {
        return sink;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            Stage stage = started.pop();
            try {
                stage.close();
            } catch (RuntimeException e) {
                LOG.warn("stage {} did not close cleanly", stage.getClass().getSimpleName(), e);
            }
        }
    }
}
