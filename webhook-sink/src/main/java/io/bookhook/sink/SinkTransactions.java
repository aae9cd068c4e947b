package io.bookhook.sink;

import java.time.Duration;
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
 * Writes one batch's results and its consumer offsets atomically. A failed transaction is aborted and the
 * consumer rewound to the last committed offsets, so the batch is delivered again under the same delivery
 * ids; an error that makes the producer unusable (fenced, out of sequence, not authorised) is rethrown
 * to stop the sink.
 */
final class SinkTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(SinkTransactions.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;

    SinkTransactions(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer) {
        this.consumer = consumer;
        this.producer = producer;
    }

    /** True when committed; false when aborted and rewound. */
    boolean commit(List<RecordOutcome> outcomes, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            producer.beginTransaction();
            for (RecordOutcome outcome : outcomes) {
                producer.send(outcome.write());
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            return true;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException fatal) {
            // The producer cannot go on: stop, and let a restart (a new producer) fence or re-authenticate.
            throw fatal;
        } catch (KafkaException abortable) {
            LOG.warn("transaction for {} records aborted ({}); rewinding to the last committed offsets",
                    outcomes.size(), abortable.toString());
            // If the abort itself fails, the producer is in a state only a restart clears: that propagates and stops the sink.
            producer.abortTransaction();
            rewind();
            return false;
        }
    }

    private void rewind() {
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
