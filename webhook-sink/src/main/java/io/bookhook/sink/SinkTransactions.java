package io.bookhook.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@link CommitBatch} atomically: its ledger records, index entries and dead letters together with the
 * consumer offsets they account for. Every batch carries the offsets of every partition the sink owns, so a sink
 * that lost its partitions to another member cannot commit anything (the group fences it). An abortable failure is
 * aborted and reported, and the caller writes the same batch again; an error that makes the producer unusable
 * (fenced, out of sequence, not authorised) is rethrown to stop the sink.
 */
final class SinkTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(SinkTransactions.class);

    /** Committed or not; when committed, per index partition the offset after this batch's last entry there. */
    record Result(boolean committed, Map<Integer, Long> indexPositions) {
    }

    private final Producer<String, byte[]> producer;

    SinkTransactions(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    Result commit(CommitBatch batch, ConsumerGroupMetadata group) {
        Map<ProducerRecord<String, byte[]>, Future<RecordMetadata>> sent = new IdentityHashMap<>();
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> record : batch.records()) {
                sent.put(record, producer.send(record));
            }
            if (!batch.offsets().isEmpty()) {
                producer.sendOffsetsToTransaction(batch.offsets(), group);
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException | UnsupportedVersionException
                 | InvalidProducerEpochException fatal) {
            throw fatal;
        } catch (KafkaException abortable) {
            LOG.warn("transaction of {} records aborted ({}); writing them again", batch.records().size(), abortable.toString());
            // If the abort itself fails, the producer is in a state only a restart clears: that propagates and stops the sink.
            producer.abortTransaction();
            return new Result(false, Map.of());
        }
        Map<Integer, Long> positions = new HashMap<>();
        for (CommitBatch.IndexWrite write : batch.indexWrites()) {
            positions.merge(write.partition(), offsetOf(sent.get(write.record())) + 1, Math::max);
        }
        return new Result(true, positions);
    }

    private static long offsetOf(Future<RecordMetadata> sent) {
        try {
            return sent.get().offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading a committed record's offset", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a record of a committed transaction has no offset", e.getCause());
        }
    }

    void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.warn("closing the producer failed: {}", e.toString());
        }
    }
}
