package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureFailedException;
import io.bookhook.capture.CapturePreflight;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.runtime.Stage;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What differs between the stages at start, from settings already read: the checks a stage runs against what it
 * reads before any topic is created (start checks: exit 3), and how it starts. {@link StageRunner} does the rest.
 */
record StageStart<S extends Stage>(String name, Check check, Starter<S> starter, Optional<Duration> readyWithin) {

    /**
     * Capture stops when it is not streaming within this time of its start (a slot another process holds, say): it is the
     * one stage whose not being ready means nothing is captured at all, so it fails loudly rather than wait unseen. Derive
     * and the sink have no deadline: derive may take long to restore its stores, and the sink waits for partitions.
     */
    static final Duration CAPTURE_READY_WITHIN = Duration.ofMinutes(5);

    interface Check {
        void run() throws InterruptedException;
    }

    interface Starter<S extends Stage> {
        S start() throws InterruptedException;
    }

    static StageStart<CaptureEngine> capture(CaptureSettings settings) {
        // Capture's checks of Postgres (reachable, wal_level, the mapping's tables and columns, the slot) are start checks,
        // also when CaptureEngine.start runs them again (with the slot's continuity) just before streaming.
        return new StageStart<>("capture",
                () -> startChecked(() -> {
                    CapturePreflight.check(settings);
                    return null;
                }),
                () -> startChecked(() -> CaptureEngine.start(settings)), Optional.of(CAPTURE_READY_WITHIN));
    }

    static StageStart<DeriveStreams> derive(DeriveSettings settings) {
        return new StageStart<>("derive", () -> { }, () -> DeriveStreams.start(settings), Optional.empty());
    }

    static StageStart<WebhookSink> sink(SinkSettings settings) {
        return new StageStart<>("sink", () -> { }, () -> WebhookSink.start(settings), Optional.empty());
    }

    private static <T> T startChecked(Supplier<T> check) {
        try {
            return check.get();
        } catch (CaptureFailedException e) {
            throw new PreflightException(e.getMessage(), e);
        }
    }
}
