package io.bookhook.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka headers of a record on {@code bookhook.dead-letter}: why it is there, which stage put it there, and where
 * it came from, so an operator can find the original and decide what to do with it. Values are UTF-8 text. Only
 * {@link DeadLetters} writes them.
 */
public final class DeadLetterHeaders {

    /** Why the record could not go on, in one line. */
    public static final String REASON = "bookhook.dead-letter.reason";
    /** {@code capture}, {@code derive} or {@code sink}. */
    public static final String STAGE = "bookhook.dead-letter.stage";
    /** The Kafka record it came from, when it came from one: topic, partition and offset. */
    public static final String SOURCE_TOPIC = "bookhook.dead-letter.topic";
    public static final String SOURCE_PARTITION = "bookhook.dead-letter.partition";
    public static final String SOURCE_OFFSET = "bookhook.dead-letter.offset";
    /** Capture's changes come from Postgres, not Kafka: the table and the change's position in the WAL. */
    public static final String TABLE = "bookhook.dead-letter.table";
    public static final String SOURCE_LSN = "bookhook.dead-letter.lsn";

    private DeadLetterHeaders() {
    }

    /** The headers of a dead letter: those of the record it replaces ({@code original}, may be empty), why, and which stage. */
    static Headers of(Iterable<Header> original, String stage, String reason) {
        Headers headers = new RecordHeaders(original);
        headers.add(REASON, utf8(reason));
        headers.add(STAGE, utf8(stage));
        return headers;
    }

    /** Adds the Kafka record the dead letter came from. */
    static Headers withSource(Headers headers, String topic, int partition, long offset) {
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
