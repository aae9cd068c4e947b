package io.bookhook.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lanes' records and the offsets of the events they complete atomically: an event's final ledger
 * record and the consumer offset past it commit together or not at all. An abortable failure is aborted and
 * reported (the caller rewinds); an error that makes the producer unusable (fenced, out of sequence, not
 * authorised) is rethrown to stop the sink.
 */
final class SinkTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(SinkTransactions.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;

    SinkTransactions(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer) {
        this.consumer = consumer;
        this.producer = producer;
    }

    /** True when committed (or nothing to write); false when aborted. */
    boolean commit(List<LaneWrite> writes) {
        if (writes.isEmpty()) {
            return true;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            producer.beginTransaction();
            for (LaneWrite write : writes) {
                if (write.record() != null) {
                    producer.send(write.record());
                }
            }
            for (LaneWrite write : writes) {
                if (write.completesEvent()) {
                    offsets.merge(write.source(), new OffsetAndMetadata(write.offset() + 1),
                            (a, b) -> a.offset() >= b.offset() ? a : b);
                }
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            return true;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException fatal) {
            throw fatal;
        } catch (KafkaException abortable) {
            LOG.warn("transaction of {} records aborted ({}); rewinding to the last committed offsets", writes.size(),
                    abortable.toString());
            // If the abort itself fails, the producer is in a state only a restart clears: that propagates and stops the sink.
            producer.abortTransaction();
            return false;
        }
    }

    /** Back to the last committed offsets of every assigned partition, so uncommitted events are read again. */
    void rewind() {
        var assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    /** Closes both clients, each even if the other fails: called once, when the sink stops. */
    void closeClients() {
        try {
            consumer.close();
        } catch (KafkaException e) {
            LOG.warn("closing the consumer failed: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.warn("closing the producer failed: {}", e.toString());
        }
    }
}
