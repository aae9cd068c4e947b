package io.bookhook.derive;

import io.bookhook.schemas.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The headers of a record derive dead-letters ({@link DeadLetterHeaders}): why, and where it came from. */
final class DeadLetters {

    static final String STAGE = "derive";

    private DeadLetters() {
    }

    /**
     * No source record is known when {@code source} is null or names no topic: an event emitted by a punctuation, whose
     * metadata Kafka Streams gives without one.
     */
    static Headers headers(Headers original, String reason, RecordMetadata source) {
        Headers headers = DeadLetterHeaders.of(original, STAGE, reason);
        return source == null || source.topic() == null ? headers : DeadLetterHeaders.withSource(headers, source.topic(), source.partition(), source.offset());
    }
}
