package io.bookhook.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's lanes, one per assigned partition that has had records, used only from the consumer thread. It
 * decides which partitions to pause: those waiting out a retry and those with a full backlog, so the consumer
 * keeps polling (and stays in its group) without buffering without bound.
 */
final class Lanes {

    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    static final int MAX_BACKLOG = 500;

    private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
    private final Function<TopicPartition, PartitionLane> newLane;
    private final Duration stopTimeout;

    Lanes(Function<TopicPartition, PartitionLane> newLane, Duration stopTimeout) {
        this.newLane = newLane;
        this.stopTimeout = stopTimeout;
    }

    void dispatch(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            lanes.computeIfAbsent(partition, p -> newLane.apply(p).start()).enqueue(records.records(partition));
        }
    }

    /** Everything the lanes wrote since the last call, each lane's writes in order. */
    List<LaneWrite> drain() {
        List<LaneWrite> writes = new ArrayList<>();
        lanes.values().forEach(lane -> writes.addAll(lane.drain()));
        return writes;
    }

    void updatePauses(Consumer<?, ?> consumer) {
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        Set<TopicPartition> paused = consumer.paused();
        for (TopicPartition partition : consumer.assignment()) {
            PartitionLane lane = lanes.get(partition);
            boolean hold = lane != null && (lane.waiting() || lane.backlog() >= MAX_BACKLOG);
            if (hold && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!hold && paused.contains(partition) && (lane == null || lane.backlog() < MAX_BACKLOG / 2)) {
                resume.add(partition);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** Throws when a lane died of a bug: better a stopped sink than a partition silently never delivered. */
    void checkHealth() {
        for (Map.Entry<TopicPartition, PartitionLane> entry : lanes.entrySet()) {
            if (entry.getValue().failed()) {
                throw new IllegalStateException("the lane of " + entry.getKey() + " failed; see the log above");
            }
        }
    }

    /**
     * Stops the lanes of {@code partitions} and waits for attempts in flight; returns their last writes, which
     * the caller commits before the partitions go to another owner. A lane that does not stop in time is
     * dropped with whatever it still writes: its event has no final record and is delivered again.
     */
    List<LaneWrite> stop(Collection<TopicPartition> partitions) {
        List<PartitionLane> stopping = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            PartitionLane lane = lanes.remove(partition);
            if (lane != null) {
                lane.stop();
                stopping.add(lane);
            }
        }
        List<LaneWrite> last = new ArrayList<>();
        for (PartitionLane lane : stopping) {
            if (!lane.awaitStopped(stopTimeout)) {
                LOG.warn("a lane did not stop within {}; its delivery in flight will be repeated by the next owner", stopTimeout);
            }
            last.addAll(lane.drain());
        }
        return last;
    }

    List<LaneWrite> stopAll() {
        return stop(new ArrayList<>(lanes.keySet()));
    }
}
