package io.bookhook.schemas;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How each stage writes what it cannot pass on to {@code bookhook.dead-letter}: the record as it was (or, for a
 * change too large for Kafka, its key), with the {@link DeadLetterHeaders} saying why, which stage, and where it came
 * from. So one bad record neither stops a stage nor disappears, and every dead letter reads the same whoever wrote it.
 */
public enum DeadLetters {
    CAPTURE, DERIVE, SINK;

    /** The stage as {@link DeadLetterHeaders#STAGE} and the metrics name it. */
    public String stage() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A Kafka record this stage cannot use, unchanged, with its headers and why and where it came from. */
    public <K, V> ProducerRecord<K, V> of(ConsumerRecord<K, V> bad, String reason, String deadLetterTopic) {
        return new ProducerRecord<>(deadLetterTopic, null, bad.key(), bad.value(),
                headers(bad.headers(), reason, bad.topic(), bad.partition(), bad.offset()));
    }

    /**
     * The headers of a dead letter: {@code original}'s, why, which stage, and the Kafka record it came from; none is
     * named when {@code sourceTopic} is null (derive's events emitted by a punctuation have no source record). For a
     * stage that forwards the record itself, as Kafka Streams does.
     */
    public Headers headers(Iterable<Header> original, String reason, String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = DeadLetterHeaders.of(original, stage(), reason);
        return sourceTopic == null ? headers : DeadLetterHeaders.withSource(headers, sourceTopic, sourcePartition, sourceOffset);
    }

    /**
     * A change read from Postgres that this stage cannot publish: its key without the value (the value is what failed),
     * with the table and the change's LSN in the WAL (null when unknown), which find the row in Postgres.
     */
    public <K, V> ProducerRecord<K, V> ofChange(K key, String table, String lsn, String reason, String deadLetterTopic) {
        Headers headers = DeadLetterHeaders.of(List.of(), stage(), reason);
        headers.add(DeadLetterHeaders.TABLE, utf8(table));
        if (lsn != null) {
            headers.add(DeadLetterHeaders.SOURCE_LSN, utf8(lsn));
        }
        return new ProducerRecord<>(deadLetterTopic, null, key, null, headers);
    }

    /** {@code topic-partition@offset} of a record, for log lines and the ids of skipped deliveries. */
    public static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
