package io.bookhook.derive;

import io.bookhook.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The headers a dead-lettered record carries: why, that derive put it there, and where it came from, so it can be
 * found and replayed ({@link DeadLetterHeaders}).
 */
final class DeadLetters {

    static final String REASON = DeadLetterHeaders.REASON;
    static final String STAGE = DeadLetterHeaders.STAGE;
    static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
    static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;
    static final String DERIVE_STAGE = "derive";

    private DeadLetters() {
    }

    static Headers headers(Headers original, String reason, RecordMetadata source) {
        return source == null ? headers(original, reason, null, -1, -1)
                : headers(original, reason, source.topic(), source.partition(), source.offset());
    }

    /** {@code sourceTopic} null: no source record is known (an event emitted by a punctuation, for example). */
    static Headers headers(Headers original, String reason, String sourceTopic, int sourcePartition, long sourceOffset) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        headers.add(REASON, utf8(reason));
        headers.add(STAGE, utf8(DERIVE_STAGE));
        if (sourceTopic != null) {
            headers.add(SOURCE_TOPIC, utf8(sourceTopic));
            headers.add(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
            headers.add(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        }
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
