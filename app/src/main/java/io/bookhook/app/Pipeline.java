package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CapturePreflight;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All three stages in one process, started in dependency order and stopped in reverse: what {@code bookhook
 * demo} runs, and what the end-to-end tests run, from the same settings the separate stage commands read.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
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
        DeriveSettings deriveSettings = settings.derive();
        SinkSettings sinkSettings = settings.sink();
        StageTopics topics = StageTopics.of(settings);
        progress.step("topics ready", () -> {
            CapturePreflight.check(captureSettings);
            topics.ensure();
            return null;
        });
        progress.step("capture streaming (Debezium, slot '" + captureSettings.slotName() + "')", () -> {
            capture = CaptureEngine.start(captureSettings);
            started.push(capture);
            capture.awaitStreaming(START_TIMEOUT);
            return null;
        });
        progress.step("derive running (Kafka Streams, exactly_once_v2)", () -> {
            derive = DeriveStreams.start(deriveSettings);
            started.push(derive);
            awaitRunning(derive);
            return null;
        });
        progress.step("sink running", () -> {
            sink = new WebhookSink(sinkSettings);
            started.push(sink);
            Thread worker = new Thread(sink, "bookhook-sink");
            worker.setDaemon(true);
            worker.start();
            awaitPartitions(sink);
            return null;
        });
    }

    /** Until the sink's group gave it its partitions: events before that would wait for the join, not for delivery. */
    private static void awaitPartitions(WebhookSink sink) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (sink.partitionsOwned() == 0) {
            if (sink.stopped().isDone()) {
                sink.stopped().join();
                throw new IllegalStateException("the sink stopped before it was given partitions");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink was given no partitions within " + START_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitRunning(DeriveStreams derive) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (derive.state() != KafkaStreams.State.RUNNING) {
            if (derive.stopped().isDone() || System.nanoTime() > deadline) {
                derive.stopped().join();
                throw new IllegalStateException("derive did not reach RUNNING within " + START_TIMEOUT + " (state " + derive.state() + ")");
            }
            Thread.sleep(50);
        }
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
            AutoCloseable stage = started.pop();
            try {
                stage.close();
            } catch (Exception e) {
                LOG.warn("stage {} did not close cleanly", stage.getClass().getSimpleName(), e);
            }
        }
    }
}
