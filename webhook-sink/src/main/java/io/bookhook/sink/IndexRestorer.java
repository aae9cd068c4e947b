package io.bookhook.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the local {@link DeliveryIndex} up to date with one partition of the index topic before the sink works that
 * partition: it reads what was committed since the local copy's position ({@code read_committed}), which includes
 * everything the partition's previous owner wrote before it let go. A fresh store reads the whole (compacted)
 * partition; a restarted one only what it has not seen.
 */
final class IndexRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRestorer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final DeliveryIndex store;

    IndexRestorer(Consumer<String, byte[]> consumer, String topic, DeliveryIndex store) {
        this.consumer = consumer;
        this.topic = topic;
        this.store = store;
    }

    /** Reads partition {@code partition} up to its committed end as of now; throws when that takes longer than {@code timeout}. */
    void restore(int partition, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long from = store.position(partition);
        if (from > end) {
            LOG.warn("the local delivery index has read {} up to {}, past its end {}: reading it again from the start", tp, from, end);
            from = -1;
        }
        if (from < 0) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seek(tp, from);
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long read = 0;
        while (consumer.position(tp) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the delivery index " + tp + " up to " + end + " within " + timeout
                        + " (at " + consumer.position(tp) + ")");
            }
            List<DeliveryIndex.Stored> entries = new ArrayList<>();
            long next = -1;
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(tp)) {
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
                read += entries.size();
            }
        }
        store.apply(partition, List.of(), Math.max(consumer.position(tp), Math.max(0, store.position(partition))));
        consumer.assign(List.of());
        if (read > 0) {
            LOG.info("restored {} delivery index entries of {} in {} ms", read, tp, Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
