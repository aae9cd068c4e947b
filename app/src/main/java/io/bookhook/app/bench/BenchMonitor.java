package io.bookhook.app.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples RSS and the slot's lag every second, and prints a progress line every 5 s: phase, elapsed time, transactions
 * committed, webhooks received, p99 of the webhooks first delivered in the last 5 s.
 */
public final class BenchMonitor implements AutoCloseable {

    static final int PROGRESS_EVERY_SECONDS = 5;

    /** One second's sample: seconds since the monitor started, RSS, slot lag (-1 when unknown). */
    public record Sample(long second, long rssBytes, long slotLagBytes) {
    }

    private final PrintStream out;
    private final LatencyLog log;
    private final LongSupplier transactionsCommitted;
    private final SlotLag slotLag;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile String phase = "starting";
    private int cursor;
    private long ticks;
    private long maxSlotLag = -1;
    private String slotLagProblem;

    private BenchMonitor(PrintStream out, LatencyLog log, LongSupplier transactionsCommitted, SlotLag slotLag) {
        this.out = out;
        this.log = log;
        this.transactionsCommitted = transactionsCommitted;
        this.slotLag = slotLag;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-monitor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code slotLag} may be null when it cannot be read. */
    public static BenchMonitor start(PrintStream out, LatencyLog log, LongSupplier transactionsCommitted, SlotLag slotLag) {
        BenchMonitor monitor = new BenchMonitor(out, log, transactionsCommitted, slotLag);
        monitor.ticker.scheduleAtFixedRate(monitor::tick, 1, 1, TimeUnit.SECONDS);
        return monitor;
    }

    /** The phase the next progress lines name. */
    public void phase(String name) {
        phase = name;
    }

    /** Names the phase {@code name} after {@code delay} (the warm-up becoming the paced phase proper). */
    public void phaseAfter(Duration delay, String name) {
        ticker.schedule(() -> phase(name), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void tick() {
        ticks++;
        sample();
        if (ticks % PROGRESS_EVERY_SECONDS == 0) {
            progress();
        }
    }

    private synchronized void sample() {
        long rss = ProcessMemory.rssBytes();
        long lag = -1;
        if (slotLag != null) {
            try {
                lag = slotLag.bytes();
            } catch (java.sql.SQLException | RuntimeException e) {
                slotLagProblem = e.getMessage();
            }
        }
        maxSlotLag = Math.max(maxSlotLag, lag);
        samples.add(new Sample(elapsedSeconds(), rss, lag));
    }

    private synchronized void progress() {
        RunAnalysis.Longs recent = new RunAnalysis.Longs();
        cursor = log.forEachFrom(cursor, answer -> {
            if (answer.firstDelivery() && answer.occurredAtMs() != LatencyLog.UNKNOWN_TIME) {
                recent.add(answer.latencyMs());
            }
        });
        LatencyStats.Summary last = recent.summary();
        out.printf(Locale.ROOT, "  %-9s %5d s  transactions %,9d  webhooks %,9d  p99 of the last %d s %s%n", phase, elapsedSeconds(),
                transactionsCommitted.getAsLong(), log.firstDeliveries(), PROGRESS_EVERY_SECONDS,
                last.isEmpty() ? "-" : last.p99() + " ms");
    }

    private long elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    /** Stops sampling after one last sample. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The highest slot lag sampled (bytes), -1 if none could be read. */
    public synchronized long maxSlotLag() {
        return maxSlotLag;
    }

    /** The last slot lag sampled (bytes), -1 if unknown. */
    public synchronized long lastSlotLag() {
        return samples.isEmpty() ? -1 : samples.get(samples.size() - 1).slotLagBytes();
    }

    /** Why the slot lag could not be read, if it could not. */
    public synchronized String slotLagProblem() {
        return slotLagProblem;
    }
}
