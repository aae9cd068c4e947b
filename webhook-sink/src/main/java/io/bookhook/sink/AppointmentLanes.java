package io.bookhook.sink;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Order per appointment: the deliveries of one appointment to one endpoint form a lane, in the order they were made,
 * and only a lane's first is attempted, so {@code created} goes before {@code confirmed} and a later one waits while
 * an earlier one retries. Lanes run side by side.
 */
final class AppointmentLanes {

    private record LaneKey(String endpoint, String appointmentId) {
        static LaneKey of(Delivery d) {
            return new LaneKey(d.endpoint, d.key.appointmentId());
        }
    }

    private final Map<LaneKey, ArrayDeque<Delivery>> lanes = new HashMap<>();

    /** Appends {@code d} to its lane; true when it is the lane's first. */
    boolean join(Delivery d) {
        ArrayDeque<Delivery> lane = lanes.computeIfAbsent(LaneKey.of(d), k -> new ArrayDeque<>());
        lane.addLast(d);
        return lane.size() == 1;
    }

    /** The first delivery of {@code d}'s lane. */
    Delivery first(Delivery d) {
        return lanes.get(LaneKey.of(d)).peekFirst();
    }

    /** The deliveries queued behind {@code d} in its lane, in order. */
    List<Delivery> behind(Delivery d) {
        return lanes.get(LaneKey.of(d)).stream().filter(follower -> follower != d).toList();
    }

    /** Takes {@code d} out of its lane and answers the lane's first now; null when the lane is empty (and gone). */
    Delivery leave(Delivery d) {
        LaneKey key = LaneKey.of(d);
        ArrayDeque<Delivery> lane = lanes.get(key);
        if (lane == null) {
            return null;
        }
        lane.remove(d);
        if (lane.isEmpty()) {
            lanes.remove(key);
            return null;
        }
        return lane.peekFirst();
    }
}
