package io.bookhook.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one partition's events in order on a thread of its own, so a partition waiting out a retry holds
 * only itself. The consumer thread feeds it records and collects its writes; the lane never touches a Kafka
 * client, which are not thread-safe.
 */
final class PartitionLane {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLane.class);

    private final TopicPartition partition;
    private final LaneProcessor processor;
    private final BlockingQueue<ConsumerRecord<String, byte[]>> backlog = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<LaneWrite> writes = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean waiting;
    private volatile boolean working;

    PartitionLane(TopicPartition partition, LaneProcessor processor) {
        this.partition = partition;
        this.processor = processor;
        this.thread = new Thread(this::run, "sink-lane-" + partition);
        thread.setDaemon(true);
    }

    PartitionLane start() {
        thread.start();
        return this;
    }

    void enqueue(List<ConsumerRecord<String, byte[]>> records) {
        backlog.addAll(records);
    }

    /** Records received but not yet finished, the one in progress included. */
    int backlog() {
        return backlog.size() + (working ? 1 : 0);
    }

    /** Waiting out a retry or an endpoint hold: the partition should be paused meanwhile. */
    boolean waiting() {
        return waiting;
    }

    /** Everything written since the last drain, in order. */
    List<LaneWrite> drain() {
        List<LaneWrite> drained = new ArrayList<>();
        for (LaneWrite write; (write = writes.poll()) != null; ) {
            drained.add(write);
        }
        return drained;
    }

    /**
     * Stops taking records and cuts any wait short; an attempt in flight finishes (it is bounded by the request
     * deadline) and its outcome is kept, so a graceful stop sends no duplicate.
     */
    void stop() {
        stopSignal.countDown();
    }

    /** True when the thread ended within {@code timeout}. */
    boolean awaitStopped(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run() {
        try {
            while (stopSignal.getCount() > 0) {
                ConsumerRecord<String, byte[]> record = backlog.poll(20, TimeUnit.MILLISECONDS);
                if (record == null) {
                    continue;
                }
                working = true;
                processor.process(record, writes::add, this::pause);
                working = false;
            }
        } catch (DeliveryAbandoned | InterruptedException stopping) {
            LOG.info("lane {} stopped mid-delivery; the event is left for the partition's next owner", partition);
        } catch (RuntimeException e) {
            // A bug, not a receiver's doing: stop this lane; the partition stays paused and the sink reports it.
            LOG.error("lane {} failed: {}", partition, e.toString(), e);
        }
    }

    private void pause(Duration duration) throws DeliveryAbandoned {
        waiting = true;
        try {
            if (stopSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new DeliveryAbandoned();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryAbandoned();
        } finally {
            waiting = false;
        }
    }

    /** Ended without being asked to: a bug the sink must not hide behind a forever-paused partition. */
    boolean failed() {
        return stopSignal.getCount() > 0 && thread.getState() == Thread.State.TERMINATED;
    }
}
