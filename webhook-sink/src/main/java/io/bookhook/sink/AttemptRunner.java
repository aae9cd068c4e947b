package io.bookhook.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the engine's attempts on a bounded pool whose threads do nothing but the blocking HTTP exchange: as many
 * threads as requests may be in flight in all, created when needed and ended when idle. A delivery waiting for a
 * retry holds no thread. Results queue up for the consumer thread, which alone feeds them to the engine.
 */
final class AttemptRunner implements AutoCloseable {

    /** One attempt's result and how long it took, connect to the end of the bounded response read. */
    record Completion(DeliveryEngine.Attempt attempt, AttemptResult result, Duration took) {
    }

    private final ThreadPoolExecutor pool;
    private final BlockingQueue<Completion> completed = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();

    AttemptRunner(int maxInFlight) {
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "sink-http-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    void submit(DeliveryEngine.Attempt attempt) {
        running.incrementAndGet();
        pool.execute(() -> {
            long started = System.nanoTime();
            AttemptResult result;
            try {
                result = attempt.endpoint().poster().post(attempt.request());
            } catch (RuntimeException bug) {
                // The poster never throws for what the receiver or network did; anything else is retried like no answer.
                result = AttemptResult.noResponse("unexpected error (" + bug + ")");
            }
            running.decrementAndGet();
            completed.add(new Completion(attempt, result, Duration.ofNanos(System.nanoTime() - started)));
        });
    }

    /** Results that arrived since the last call, oldest first. */
    List<Completion> drain() {
        List<Completion> drained = new ArrayList<>();
        completed.drainTo(drained);
        return drained;
    }

    /** Like {@link #drain()}, but waits up to {@code patience} for the first result when none is there yet. */
    List<Completion> drain(Duration patience) throws InterruptedException {
        List<Completion> drained = new ArrayList<>();
        Completion first = completed.poll(patience.toNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
            drained.add(first);
            completed.drainTo(drained);
        }
        return drained;
    }

    /** Attempts submitted whose result has not been queued yet. */
    int running() {
        return running.get();
    }

    /** Stops taking attempts; those in flight end by their own deadline. */
    @Override
    public void close() {
        pool.shutdown();
    }
}
