package io.bookhook.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps one stage running until it stops by itself or the process is asked to stop, then closes it. */
final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    private StageRunner() {
    }

    /** Returns 0 when the stage stopped because we asked; rethrows the stage's failure otherwise. */
    static int runUntilStopped(String name, AutoCloseable stage, CompletableFuture<Void> stopped) throws Exception {
        Thread hook = new Thread(() -> closeQuietly(name, stage), "bookhook-" + name + "-shutdown");
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
                closeQuietly(name, stage);
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
