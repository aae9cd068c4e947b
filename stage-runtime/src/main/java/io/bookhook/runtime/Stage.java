package io.bookhook.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * One running stage of the pipeline (capture, derive or sink), as the process that hosts it sees it: whether it can
 * do its work yet, when it has stopped and why, and how to stop it.
 */
public interface Stage extends AutoCloseable {

    /** What {@code /health/ready} answers for this stage. */
    Readiness readiness();

    /** Completes normally when the stage stopped because it was closed, exceptionally with the reason it failed. */
    CompletableFuture<Void> stopped();

    /** Stops the stage and releases what it holds; safe to call more than once. */
    @Override
    void close();
}
