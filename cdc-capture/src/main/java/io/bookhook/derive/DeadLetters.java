package io.bookhook.derive;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The headers a dead-lettered record carries: why, and where it came from, so it can be found and replayed. */
final class DeadLetters {

    static final String REASON = "bookhook.dead-letter.reason";
    static final String SOURCE_TOPIC = "bookhook.dead-letter.topic";
    static final String SOURCE_PARTITION = "bookhook.dead-letter.partition";
    static final String SOURCE_OFFSET = "bookhook.dead-letter.offset";

    private DeadLetters() {
    }

    static Headers headers(Headers original, String reason, RecordMetadata source) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        headers.add(REASON, utf8(reason));
        if (source != null) {
            headers.add(SOURCE_TOPIC, utf8(source.topic()));
            headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        }
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
