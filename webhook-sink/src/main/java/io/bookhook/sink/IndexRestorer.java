package io.bookhook.sink;

import io.bookhook.schemas.TopicTailer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the local {@link DeliveryIndex} up to date with one partition of the index topic before the sink works that
 * partition: it reads what was committed since the local copy's position ({@link TopicTailer}), which includes
 * everything the partition's previous owner wrote before it let go. A fresh store reads the whole (compacted)
 * partition; a restarted one only what it has not seen.
 */
final class IndexRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRestorer.class);

    private final TopicTailer<String, byte[]> index;
    private final String topic;
    private final DeliveryIndex store;

    IndexRestorer(Consumer<String, byte[]> consumer, String topic, DeliveryIndex store) {
        this.index = new TopicTailer<>(consumer);
        this.topic = topic;
        this.store = store;
    }

    /** Reads partition {@code partition} up to its committed end as of now; throws when that takes longer than {@code timeout}. */
    void restore(int partition, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        long from = store.position(partition);
        long end = index.from(Map.of(tp, from), timeout).get(tp);
        if (from > end) {
            LOG.warn("the local delivery index has read {} up to {}, past its end {}: reading it again from the start", tp, from, end);
            end = index.from(Map.of(tp, TopicTailer.BEGINNING), timeout).get(tp);
        }
        long started = System.nanoTime();
        AtomicLong read = new AtomicLong();
        boolean caughtUp = index.readToEnd(timeout, records -> {
            List<DeliveryIndex.Stored> entries = new ArrayList<>();
            long next = -1;
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                next = record.offset() + 1;
                if (record.value() == null || record.key() == null) {
                    continue;
                }
                try {
                    entries.add(new DeliveryIndex.Stored(record.key(), record.value(), IndexEntry.orderOf(record.value())));
                } catch (IllegalArgumentException unreadable) {
                    LOG.warn("skipping unreadable delivery index record at {}@{}: {}", tp, record.offset(), unreadable.getMessage());
                }
            }
            if (next >= 0) {
                store.applyStored(partition, entries, next);
                read.addAndGet(entries.size());
            }
        });
        if (!caughtUp) {
            throw new IllegalStateException("could not read the delivery index " + tp + " up to " + end + " within " + timeout
                    + " (at " + index.position(tp) + ")");
        }
        store.apply(partition, List.of(), Math.max(index.position(tp), Math.max(0, store.position(partition))));
        index.unassign();
        if (read.get() > 0) {
            LOG.info("restored {} delivery index entries of {} in {} ms", read.get(), tp, Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    void close() {
        index.close(Duration.ofSeconds(2));
    }
}
