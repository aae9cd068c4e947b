package io.bookhook.derive;

import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.RecordLimits;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the deriver and the events topic. An event is larger than the change it came from (it embeds the customer,
 * salon, stylist and service rows), so it can be over Kafka's limit although its change was not. Kafka Streams cannot
 * skip a record the producer refused under exactly_once_v2: the refusal puts the transaction in an error state whatever
 * the production exception handler answers, derive stops, and after a restart fails on the same change again. So the
 * size is measured here, before the producer sees the record: an event over the limit goes to the dead-letter topic as
 * its key with the reason, and derive goes on.
 * The limit for events is below the record limit, so that the sink's records of an event fit too ({@link RecordLimits}).
 */
final class OversizedEventGuard implements Processor<String, AppointmentEvent, Object, Object> {

    /** Kafka's default {@code max.request.size}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = RecordLimits.DEFAULT_MAX_RECORD_BYTES;

    // What Kafka adds around a record alone in its batch, at most: the batch header, the record's own framing, and
    // a varint of up to 5 bytes for each length. The producer's own estimate is internal API, so this bound stands in
    // for it; it is never below it, so an event this lets through is one the producer takes.
    private static final int BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 21;
    private static final int VARINT_MAX = 5;

    private static final Logger LOG = LoggerFactory.getLogger(OversizedEventGuard.class);

    private final Serializer<AppointmentEvent> serializer;
    private final String eventsNode;
    private final String deadLetterNode;
    private final int maxRequestSize;
    private final long eventLimit;
    private final Counter deadLettered;
    private ProcessorContext<Object, Object> context;

    OversizedEventGuard(Serializer<AppointmentEvent> serializer, String eventsNode, String deadLetterNode, int maxRequestSize,
            Counter deadLettered) {
        this.serializer = serializer;
        this.eventsNode = eventsNode;
        this.deadLetterNode = deadLetterNode;
        this.maxRequestSize = maxRequestSize;
        this.eventLimit = RecordLimits.eventLimit(maxRequestSize);
        this.deadLettered = deadLettered;
    }

    /** The producer's {@code max.request.size} among the Kafka client settings, or Kafka's default. */
    static int maxRequestSize(Map<String, String> kafkaClient) {
        String configured = kafkaClient.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.strip());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, AppointmentEvent> event) {
        byte[] key = event.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = serializer.serialize(null, event.headers(), event.value());
        long size = recordSizeUpperBound(key, value, event.headers().toArray());
        if (size <= eventLimit) {
            context.forward(event.withValue(value), eventsNode);
            return;
        }
        String reason = String.format(Locale.ROOT, "event of %,d bytes is over the %,d-byte event limit (3/4 of BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES"
                + " %,d less 32 KiB, so that the sink's records of it fit too)", size, eventLimit, maxRequestSize);
        LOG.warn("event {} goes to the dead-letter topic instead of the events topic: {}", event.key(), reason);
        deadLettered.increment();
        // The source is the appointment change being processed; an event sent after waiting for its related rows
        // leaves from a punctuation, which has none.
        context.forward(new Record<byte[], byte[]>(key, null, event.timestamp(),
                DeadLetterSource.headers(event.headers(), reason, context.recordMetadata().orElse(null))), deadLetterNode);
    }

    /** The most Kafka can count for this record alone in a batch: what the producer compares with max.request.size. */
    static long recordSizeUpperBound(byte[] key, byte[] value, Header[] headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + VARINT_MAX + length(key) + VARINT_MAX + length(value) + VARINT_MAX;
        for (Header header : headers) {
            size += VARINT_MAX + header.key().getBytes(StandardCharsets.UTF_8).length + VARINT_MAX + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
