package io.bookhook.sink;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record a lane asks the sink to write, in the lane's order. An intermediate state (pending, retrying) only
 * adds to the ledger; a final one also completes the event at {@code source}/{@code offset}, so it is committed
 * together with the consumer offset {@code offset + 1}.
 */
record LaneWrite(Kind kind, ProducerRecord<String, byte[]> record, TopicPartition source, long offset) {

    /** {@code CONSUMED}: nothing to write, only the offset to move past (a request with nothing left to do). */
    enum Kind { INTERMEDIATE, DELIVERED, FAILED, SKIPPED, DEAD_LETTERED, CONSUMED }

    static LaneWrite consumed(TopicPartition source, long offset) {
        return new LaneWrite(Kind.CONSUMED, null, source, offset);
    }

    boolean completesEvent() {
        return kind != Kind.INTERMEDIATE;
    }
}
