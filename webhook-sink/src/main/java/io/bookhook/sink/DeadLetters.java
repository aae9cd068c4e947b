package io.bookhook.sink;

import io.bookhook.schemas.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records the sink cannot read go to the dead-letter topic unchanged, with the headers every stage uses
 * ({@link DeadLetterHeaders}) saying why and where they came from, so one bad record neither stops the sink nor
 * disappears.
 */
public final class DeadLetters {

    static final String STAGE = "sink";

    private DeadLetters() {
    }

    static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> bad, String reason, String deadLetterTopic) {
        return new ProducerRecord<>(deadLetterTopic, null, bad.key(), bad.value(),
                DeadLetterHeaders.withSource(DeadLetterHeaders.of(bad.headers(), STAGE, reason), bad.topic(), bad.partition(), bad.offset()));
    }

    /** {@code topic-partition@offset} of a record, for log lines and the ids of skipped deliveries. */
    static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
