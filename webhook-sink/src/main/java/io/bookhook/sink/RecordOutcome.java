package io.bookhook.sink;

import org.apache.kafka.clients.producer.ProducerRecord;

/** What one event record turned into: exactly one record to write in the batch's transaction. */
record RecordOutcome(Kind kind, ProducerRecord<String, byte[]> write) {

    enum Kind { DELIVERED, FAILED, DEAD_LETTERED }
}
