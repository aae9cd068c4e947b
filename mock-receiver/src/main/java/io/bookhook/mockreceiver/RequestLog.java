package io.bookhook.mockreceiver;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Every request the receiver answered, and a count of deliveries that tests can wait on. */
final class RequestLog {

    // `bookhook mock-receiver` may run for hours; keep the recent past, not every body ever seen.
    static final int MAX_KEPT = 10_000;

    private final Deque<ReceivedRequest> kept = new ArrayDeque<>();
    private int delivered;

    synchronized void add(ReceivedRequest request) {
        if (kept.size() == MAX_KEPT) {
            kept.removeFirst();
        }
        kept.addLast(request);
        if (request.delivered()) {
            delivered++;
            notifyAll();
        }
    }

    synchronized List<ReceivedRequest> snapshot() {
        return List.copyOf(kept);
    }

    synchronized int deliveredCount() {
        return delivered;
    }

    synchronized boolean awaitDelivered(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
