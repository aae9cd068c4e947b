package io.bookhook.sink;

import java.util.TreeMap;

/**
 * Which records of one input partition are still open, and so which offset may be committed: the lowest open one,
 * or one past the highest seen when none is open (parallel-consumer's model). A record is open from the moment it
 * is read until every delivery it caused is final or parked (its waiting state durable in the delivery index).
 * Only the consumer thread uses it.
 */
final class OffsetTracker {

    private final TreeMap<Long, Integer> open = new TreeMap<>();
    private long next;

    /** {@code position}: the first offset this owner will read (the group's committed offset). */
    OffsetTracker(long position) {
        this.next = position;
    }

    /** A record was read: it stays open until as many {@link #release} calls as holds it was given. */
    void hold(long offset) {
        open.merge(offset, 1, Integer::sum);
        next = Math.max(next, offset + 1);
    }

    void release(long offset) {
        Integer holds = open.get(offset);
        if (holds == null) {
            throw new IllegalStateException("offset " + offset + " was not held");
        }
        if (holds == 1) {
            open.remove(offset);
        } else {
            open.put(offset, holds - 1);
        }
    }

    /** The offset to commit: every record below it is done with. */
    long committable() {
        return open.isEmpty() ? next : open.firstKey();
    }

    /** Records read but not done with; after a crash, at most these (and what follows them) are read again. */
    int openCount() {
        return open.size();
    }
}
