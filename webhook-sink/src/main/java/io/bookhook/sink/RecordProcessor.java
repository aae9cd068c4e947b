package io.bookhook.sink;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one event record into its webhook delivery and the one ledger record that says how it ended, or
 * into a dead letter when it is not an event. Writes nothing itself: the sink writes the result together
 * with the consumer offset, in one transaction.
 */
final class RecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

    private final URI target;
    private final TopicNames topics;
    private final DeliveryAttempts attempts;
    private final Clock clock;
    private final Serializer<DeliveryRecord> ledgerValues = JsonSerde.of(DeliveryRecord.class).serializer();

    RecordProcessor(URI target, TopicNames topics, DeliveryAttempts attempts, Clock clock) {
        this.target = target;
        this.topics = topics;
        this.attempts = attempts;
        this.clock = clock;
    }

    /** Throws InterruptedException when the sink closes mid-delivery; that record is then left unrecorded. */
    RecordOutcome process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        EventReader.Read read = EventReader.read(record.value());
        if (read instanceof EventReader.Invalid invalid) {
            LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), invalid.reason());
            return new RecordOutcome(RecordOutcome.Kind.DEAD_LETTERED,
                    DeadLetters.of(record, invalid.reason(), topics.deadLetter()));
        }
        EventReader.Valid event = (EventReader.Valid) read;
        String deliveryId = DeliveryIds.forEvent(event.key());
        Instant startedAt = clock.instant();
        DeliveryOutcome outcome = attempts.deliver(new WebhookRequest(target, record.value(), event.key(), deliveryId, 1));

        DeliveryStatus status = outcome.delivered() ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED;
        AttemptResult last = outcome.last();
        DeliveryRecord ledger = DeliveryRecord.pending(deliveryId, event.key(), DeliveryReason.EVENT, event.payload(), startedAt)
                .next(status, outcome.attempts(), last.statusCode(), last.error(), last.responseExcerpt(), clock.instant());
        if (outcome.delivered()) {
            LOG.info("delivered {} as {} after {} attempt(s)", event.key(), deliveryId, outcome.attempts());
        } else {
            LOG.warn("failed {} as {} after {} attempt(s): {}", event.key(), deliveryId, outcome.attempts(),
                    DeliveryAttempts.describe(last));
        }
        String ledgerTopic = topics.deliveryLedger();
        return new RecordOutcome(outcome.delivered() ? RecordOutcome.Kind.DELIVERED : RecordOutcome.Kind.FAILED,
                new ProducerRecord<>(ledgerTopic, deliveryId, ledgerValues.serialize(ledgerTopic, ledger)));
    }
}
