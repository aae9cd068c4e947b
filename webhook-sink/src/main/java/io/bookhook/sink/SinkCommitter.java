package io.bookhook.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's commits: every commit interval, what the engine decided (ledger records, index entries, dead letters) with
 * the consumer offsets in one Kafka transaction. A batch that failed is written again, ahead of the next, until it
 * commits: a delivery counts as delivered exactly when its {@code delivered} record commits.
 */
final class SinkCommitter {

    private static final int MAX_FAILED_COMMITS = 10;

    private final SinkTransactions transactions;
    private final DeliveryEngine engine;
    private final DeliveryIndex index;
    private final DeliveryCounts counts;
    private final SinkMetrics metrics;
    private final Clock clock;
    private final Duration interval;
    private final String indexTopic;
    private CommitBatch uncommitted;
    private int failedCommits;
    private Map<TopicPartition, OffsetAndMetadata> lastCommittedOffsets = Map.of();
    private Instant lastCommit = Instant.EPOCH;

    SinkCommitter(SinkTransactions transactions, DeliveryEngine engine, DeliveryIndex index, DeliveryCounts counts, SinkMetrics metrics,
                  Clock clock, Duration interval, String indexTopic) {
        this.transactions = transactions;
        this.engine = engine;
        this.index = index;
        this.counts = counts;
        this.metrics = metrics;
        this.clock = clock;
        this.interval = interval;
        this.indexTopic = indexTopic;
    }

    boolean due() {
        return !Duration.between(lastCommit, clock.instant()).minus(interval).isNegative();
    }

    /** Commits what the engine decided since the last commit; false when the transaction failed (it is tried again). */
    boolean commit(ConsumerGroupMetadata group) {
        lastCommit = clock.instant();
        CommitBatch batch = engine.drain();
        if (uncommitted != null) {
            batch = uncommitted.then(batch);
        }
        if (!batch.hasRecords() && batch.offsets().equals(lastCommittedOffsets)) {
            engine.committed(batch);
            uncommitted = null;
            return true;
        }
        SinkTransactions.Result result = transactions.commit(batch, group);
        if (!result.committed()) {
            uncommitted = batch;
            if (++failedCommits >= MAX_FAILED_COMMITS) {
                throw new IllegalStateException("the sink could not commit its ledger records and offsets " + failedCommits
                        + " times in a row; see the warnings above");
            }
            return false;
        }
        applyToIndex(batch, result.indexPositions());
        engine.committed(batch);
        counts.add(batch.outcomes());
        metrics.committed(batch.outcomes());
        lastCommittedOffsets = batch.offsets();
        uncommitted = null;
        failedCommits = 0;
        return true;
    }

    /** Nothing of a partition another member owns now may be committed by this one: its uncommitted part goes. */
    void dropUncommitted(int partition) {
        if (uncommitted != null) {
            uncommitted = uncommitted.withoutPartition(indexTopic, partition);
        }
    }

    /** The local index learns what committed, and how far in the index topic this sink's own writes reach. */
    private void applyToIndex(CommitBatch batch, Map<Integer, Long> positions) {
        Map<Integer, List<IndexEntry>> byPartition = new HashMap<>();
        for (CommitBatch.IndexWrite write : batch.indexWrites()) {
            byPartition.computeIfAbsent(write.partition(), p -> new ArrayList<>()).add(write.entry());
        }
        byPartition.forEach((partition, entries) -> index.apply(partition, entries, positions.get(partition)));
    }
}
