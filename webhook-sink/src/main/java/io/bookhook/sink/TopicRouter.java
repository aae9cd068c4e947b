package io.bookhook.sink;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Events go to the event processor, operator requests (retry, resend) to the request processor. */
final class TopicRouter implements LaneProcessor {

    private final String requestsTopic;
    private final LaneProcessor events;
    private final LaneProcessor requests;

    TopicRouter(String requestsTopic, LaneProcessor events, LaneProcessor requests) {
        this.requestsTopic = requestsTopic;
        this.events = events;
        this.requests = requests;
    }

    @Override
    public void process(ConsumerRecord<String, byte[]> record, Consumer<LaneWrite> out, DeliveryAttempts.Pause pause)
            throws DeliveryAbandoned {
        (record.topic().equals(requestsTopic) ? requests : events).process(record, out, pause);
    }
}
