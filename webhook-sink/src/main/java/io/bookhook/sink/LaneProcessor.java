package io.bookhook.sink;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a lane does with each record of its partition, in order; the lane writes nothing itself. */
interface LaneProcessor {

    /** Throws when the lane stops mid-delivery; the record then has no final write and is read again. */
    void process(ConsumerRecord<String, byte[]> record, Consumer<LaneWrite> out, DeliveryAttempts.Pause pause) throws DeliveryAbandoned;
}
