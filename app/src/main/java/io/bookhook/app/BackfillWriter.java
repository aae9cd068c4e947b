package io.bookhook.app;

import io.bookhook.ledger.OperatorException;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.AppointmentPartition;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.TopicSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a backfill's events to the events topic, marked as a backfill and on derive's partitions, chunk by chunk,
 * each chunk acknowledged before the next is read; an event over Kafka's size limit is named on stderr and skipped.
 */
final class BackfillWriter {

    private BackfillWriter() {
    }

    /** Writes what {@code reader} reads and prints the result; {@code range} names it. */
    static int write(BookhookSettings settings, BackfillReader reader, String range, PrintWriter out, PrintWriter err) throws Exception {
        String topic = settings.topics().appointmentEvents();
        Map<String, Object> client = new HashMap<>(OperatorCommand.promptClient(settings));
        client.put("max.request.size", Integer.toString(settings.maxMessageBytes()));
        client.put("enable.idempotence", "true");
        client.put("acks", "all");
        // Told within seconds when Kafka is unreachable or the topic missing, not after the producer's minute.
        client.put("max.block.ms", Long.toString(OperatorCommand.KAFKA_ANSWER_WITHIN.toMillis()));
        Serializer<AppointmentEvent> values = TopicSpec.APPOINTMENT_EVENTS.values().serializer();
        Map<EventType, Long> written = new EnumMap<>(EventType.class);
        long[] tooLarge = {0};
        long appointments;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            int partitions = partitionsOf(settings, topic);
            appointments = reader.read(events -> {
                long derivedAt = System.currentTimeMillis();
                List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
                for (AppointmentEvent event : events) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(EventHeaders.DERIVED_AT, EventHeaders.millis(derivedAt));
                    headers.add(EventHeaders.REASON, EventHeaders.REASON_BACKFILL.getBytes(StandardCharsets.US_ASCII));
                    // Derive's partitioner: every event of an appointment on its partition, created before confirmed.
                    int partition = AppointmentPartition.of(event.key().appointmentId(), partitions);
                    acks.add(producer.send(new ProducerRecord<>(topic, partition, event.occurredAt().toEpochMilli(), event.idempotencyKey(),
                            values.serialize(topic, event), headers)));
                }
                producer.flush();
                for (int i = 0; i < acks.size(); i++) {
                    AppointmentEvent event = events.get(i);
                    try {
                        acks.get(i).get();
                        written.merge(event.eventType(), 1L, Long::sum);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RecordTooLargeException) {
                            tooLarge[0]++;
                            err.println("backfill: " + event.idempotencyKey() + " not written: over the " + settings.maxMessageBytes()
                                    + "-byte limit (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES)");
                        } else {
                            throw OperatorException.unavailable("cannot write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
                        }
                    }
                }
            });
        }
        long total = written.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "backfilled %,d appointments with %s: %,d events written to %s (%s)%n", appointments, range, total, topic,
                BackfillCommand.perType(written));
        if (tooLarge[0] > 0) {
            out.printf(Locale.ROOT, "%,d events too large to write (named on stderr)%n", tooLarge[0]);
        }
        out.println("the sink posts those the ledger does not have delivered, reason backfill; follow with: bookhook deliveries");
        return 0;
    }

    /**
     * The events topic's partition count, asked of the admin API: a producer's metadata request could create a missing
     * topic with the broker's defaults, and derive's partitioner needs the real count.
     */
    private static int partitionsOf(BookhookSettings settings, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(new HashMap<>(OperatorCommand.promptClient(settings)))) {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(OperatorCommand.KAFKA_ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw OperatorException.notFound("topic " + topic + " does not exist: start derive once (it creates it), or check"
                        + " BOOKHOOK_TOPIC_EVENTS");
            }
            throw OperatorException.unavailable("cannot read the partitions of " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw OperatorException.unavailable("cannot read the partitions of " + topic + ": Kafka did not answer within "
                    + OperatorCommand.KAFKA_ANSWER_WITHIN.toSeconds() + " s", e);
        }
    }
}
