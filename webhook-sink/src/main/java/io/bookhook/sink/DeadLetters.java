package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records the sink cannot read go to the dead-letter topic unchanged, with headers saying why and where
 * they came from, so one bad record neither stops the sink nor disappears.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "bookhook.dead-letter.reason";
    /** {@code topic-partition@offset} of the original record. */
    public static final String SOURCE_HEADER = "bookhook.dead-letter.source";

    private DeadLetters() {
    }

    static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> bad, String reason, String deadLetterTopic) {
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, null, bad.key(), bad.value(), bad.headers());
        letter.headers().add(REASON_HEADER, reason.getBytes(UTF_8));
        letter.headers().add(SOURCE_HEADER, source(bad).getBytes(UTF_8));
        return letter;
    }

    static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
