package io.bookhook.sink;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one event record into its delivery and the ledger records of each state it passes through — pending,
 * retrying, then delivered or failed — or into {@code skipped} when the ledger has its key delivered already, or
 * into a dead letter when it is not an event. Writes nothing itself: the lane hands the records to the sink,
 * which writes the final one together with the consumer offset.
 */
final class RecordProcessor implements LaneProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

    private final URI target;
    private final TopicNames topics;
    private final DeliveryAttempts attempts;
    private final DeliveredKeys ledger;
    private final Clock clock;
    private final LedgerRecords ledgerRecords;
    private final SinkMetrics metrics = new SinkMetrics();

    RecordProcessor(URI target, TopicNames topics, DeliveryAttempts attempts, DeliveredKeys ledger, Clock clock) {
        this.target = target;
        this.topics = topics;
        this.ledgerRecords = new LedgerRecords(topics.deliveryLedger());
        this.attempts = attempts;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void process(ConsumerRecord<String, byte[]> record, Consumer<LaneWrite> out, DeliveryAttempts.Pause pause)
            throws DeliveryAbandoned {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        EventReader.Read read = EventReader.read(record.value());
        if (read instanceof EventReader.Invalid invalid) {
            LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), invalid.reason());
            metrics.deadLettered();
            out.accept(new LaneWrite(LaneWrite.Kind.DEAD_LETTERED, DeadLetters.of(record, invalid.reason(), topics.deadLetter()),
                    source, record.offset()));
            return;
        }
        EventReader.Valid event = (EventReader.Valid) read;
        if (ledger.isDelivered(event.key())) {
            String skipId = DeliveryIds.forSkip(event.key(), DeadLetters.source(record));
            LOG.info("skipping {} read again at {}: the ledger has it delivered", event.key(), DeadLetters.source(record));
            DeliveryRecord skipped = DeliveryRecord.pending(skipId, event.key(), DeliveryReason.REPLAY, event.payload(), clock.instant())
                    .next(DeliveryStatus.SKIPPED, 0, null, "already delivered", null, clock.instant());
            out.accept(new LaneWrite(LaneWrite.Kind.SKIPPED, ledgerRecords.of(skipped), source, record.offset()));
            return;
        }
        String deliveryId = DeliveryIds.forEvent(event.key());
        LedgerTrail trail = LedgerTrail.begin(ledgerRecords, clock, out, source, record.offset(),
                DeliveryRecord.pending(deliveryId, event.key(), DeliveryReason.EVENT, event.payload(), clock.instant()));
        DeliveryOutcome outcome = attempts.deliver(new WebhookRequest(target, record.value(), event.key(), deliveryId, 1),
                trail.retrying(), pause);
        if (outcome.delivered()) {
            ledger.markDelivered(event.key());
            metrics.delivered(java.time.Duration.between(event.event().occurredAt(), clock.instant()));
            LOG.info("delivered {} as {} after {} attempt(s)", event.key(), deliveryId, outcome.attempts());
        } else {
            LOG.warn("failed {} as {} after {} attempt(s): {}", event.key(), deliveryId, outcome.attempts(), outcome.last().describe());
        }
        trail.settle(outcome, true);
    }
}
