package io.bookhook.derive;

import io.bookhook.schemas.DeadLetters;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Kafka Streams forwards derive's dead letters itself: this names their source, from the metadata Streams gives, in derive's headers. */
final class DeadLetterSource {

    private DeadLetterSource() {
    }

    /**
     * No source record is known when {@code source} is null or names no topic: an event emitted by a punctuation, whose
     * metadata Kafka Streams gives without one.
     */
    static Headers headers(Headers original, String reason, RecordMetadata source) {
        return source == null ? DeadLetters.DERIVE.headers(original, reason, null, -1, -1)
                : DeadLetters.DERIVE.headers(original, reason, source.topic(), source.partition(), source.offset());
    }
}
