package io.bookhook.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Deliveries waiting for their next attempt, earliest due first: a due time in a queue, no thread. A delivery that
 * stopped waiting (it was dropped, or brought forward and taken) leaves the queue when it reaches the front.
 */
final class DueQueue {

    private final PriorityQueue<Delivery> due = new PriorityQueue<>(Comparator.comparing((Delivery d) -> d.nextAttemptAt));

    void add(Delivery d) {
        due.add(d);
    }

    /** Takes the waiting deliveries due by {@code now}, earliest first. */
    List<Delivery> takeDue(Instant now) {
        List<Delivery> taken = new ArrayList<>();
        while (!due.isEmpty() && !due.peek().nextAttemptAt.isAfter(now)) {
            Delivery d = due.poll();
            if (d.state == Delivery.State.WAITING) {
                taken.add(d);
            }
        }
        return taken;
    }

    /** When the earliest waiting delivery is due; empty when none waits. */
    Optional<Instant> nextDue() {
        while (!due.isEmpty() && due.peek().state != Delivery.State.WAITING) {
            due.poll();
        }
        return due.isEmpty() ? Optional.empty() : Optional.of(due.peek().nextAttemptAt);
    }

    /** Makes every delivery of {@code endpoint} that waits past {@code now} due now, and says how many. */
    int bringForward(String endpoint, Instant now) {
        List<Delivery> all = new ArrayList<>(due);
        due.clear();
        int moved = 0;
        for (Delivery d : all) {
            if (d.endpoint.equals(endpoint) && d.state == Delivery.State.WAITING && d.nextAttemptAt.isAfter(now)) {
                d.nextAttemptAt = now;
                moved++;
            }
        }
        due.addAll(all);
        return moved;
    }
}
