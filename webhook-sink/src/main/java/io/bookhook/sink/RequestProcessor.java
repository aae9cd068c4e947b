package io.bookhook.sink;

import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an operator's request from {@code bookhook.delivery-requests}. A retry is one more attempt of the
 * named delivery (a manual attempt: it does not restart the backoff schedule), skipped when the ledger meanwhile
 * has its key delivered. A resend is a new delivery per item, on purpose, never skipped as already delivered,
 * under the unchanged idempotency key and with an id derived from the request, so a request read twice lands on
 * the same ledger entries. The request's offset commits with the final ledger record of its last item.
 */
final class RequestProcessor implements LaneProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

    private final URI target;
    private final TopicNames topics;
    private final DeliveryAttempts attempts;
    private final DeliveredKeys ledger;
    private final Clock clock;
    private final LedgerRecords ledgerRecords;

    RequestProcessor(URI target, TopicNames topics, DeliveryAttempts attempts, DeliveredKeys ledger, Clock clock) {
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
        DeliveryRequest request;
        try {
            request = JsonSerde.of(DeliveryRequest.class).deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException | IllegalArgumentException | NullPointerException unreadable) {
            String reason = "not a delivery request: " + unreadable.getMessage();
            LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), reason);
            out.accept(new LaneWrite(LaneWrite.Kind.DEAD_LETTERED, DeadLetters.of(record, reason, topics.deadLetter()), source, record.offset()));
            return;
        }
        List<DeliveryRequest.Item> items = request == null ? List.of() : request.items();
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            deliver(request, items.get(i), last, source, record.offset(), out, pause);
        }
        if (items.isEmpty()) {
            out.accept(LaneWrite.consumed(source, record.offset()));
        }
    }

    private void deliver(DeliveryRequest request, DeliveryRequest.Item item, boolean last, TopicPartition source, long offset,
            Consumer<LaneWrite> out, DeliveryAttempts.Pause pause) throws DeliveryAbandoned {
        boolean retry = request.action() == DeliveryRequest.Action.RETRY;
        if (retry && ledger.isDelivered(item.key())) {
            LOG.info("request {}: {} is delivered already; a retry would send it twice, nothing to do", request.requestId(), item.key());
            if (last) {
                out.accept(LaneWrite.consumed(source, offset));
            }
            return;
        }
        String deliveryId = retry ? item.deliveryId() : DeliveryIds.forResend(request.requestId(), item.key());
        LedgerTrail trail = LedgerTrail.begin(ledgerRecords, clock, out, source, offset, DeliveryRecord.pending(deliveryId, item.key(),
                retry ? DeliveryReason.RETRY : DeliveryReason.RESEND, item.payload(), clock.instant()));
        WebhookRequest first = new WebhookRequest(target, body(item), item.key(), deliveryId, item.attemptsSoFar() + 1);
        DeliveryOutcome outcome = retry ? attempts.attemptOnce(first, pause) : attempts.deliver(first, trail.retrying(), pause);
        if (outcome.delivered()) {
            ledger.markDelivered(item.key());
        }
        LOG.info("request {} ({}): {} {} as {} after attempt {}", request.requestId(), request.action(), item.key(),
                outcome.delivered() ? "delivered" : "failed", deliveryId, outcome.attempts());
        trail.settle(outcome, last);
    }

    private static byte[] body(DeliveryRequest.Item item) {
        try {
            return Json.mapper().writeValueAsBytes(item.payload());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
