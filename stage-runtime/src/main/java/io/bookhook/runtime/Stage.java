package io.bookhook.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One running stage of the pipeline (capture, derive or sink), as the process that hosts it sees it: whether it can
 * do its work yet, when it has stopped and why, and how to stop it. A stage runs on threads of its own from the moment
 * it exists: whoever holds one has nothing left to start.
 */
public interface Stage extends AutoCloseable {

    /** What {@code /health/ready} answers for this stage. */
    Readiness readiness();

    /** Completes normally when the stage stopped because it was closed, exceptionally with the reason it failed. */
    CompletableFuture<Void> stopped();

    /** Stops the stage and releases what it holds; safe to call more than once. */
    @Override
    void close();

    /**
     * Waits until the stage is ready, for those who must not go on before (the demo and the tests insert rows that only
     * a streaming capture sees). A stage that stops meanwhile ends the wait at once, with the reason it failed.
     *
     * @throws IllegalStateException when it is not ready within {@code timeout}, or stopped without a failure
     */
    default void awaitReady(Duration timeout) throws InterruptedException {
        Readiness readiness = readiness();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readiness.ready()) {
            if (stopped().isDone()) {
                try {
                    stopped().join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : e;
                }
                throw new IllegalStateException("stopped while waiting for " + readiness.waitingFor());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not ready within " + timeout.toSeconds() + " s: still waiting for " + readiness.waitingFor());
            }
            // A readiness may ask a database (capture asks Postgres about its slot): not in a busy loop.
            Thread.sleep(50);
        }
    }
}
