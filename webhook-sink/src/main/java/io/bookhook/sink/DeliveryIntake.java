package io.bookhook.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeadLetters;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns input records into deliveries: an appointment event into one per endpoint whose filters accept it, an
 * operator's request into retries or resends; what was delivered already is skipped, what waits in the index is
 * joined, and an unreadable record is dead-lettered.
 */
final class DeliveryIntake {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryIntake.class);

    private final EndpointQueues endpoints;
    private final HeldDeliveries held;
    private final DeliveryTransitions transitions;
    private final OwnedPartitions partitions;
    private final PendingWrites writes;
    private final PayloadRemoval payloads;
    private final TopicNames topics;
    private final Clock clock;
    private final SinkMetrics metrics;

    DeliveryIntake(EndpointQueues endpoints, HeldDeliveries held, DeliveryTransitions transitions, OwnedPartitions partitions,
                   PendingWrites writes, PayloadRemoval payloads, TopicNames topics, Clock clock, SinkMetrics metrics) {
        this.endpoints = endpoints;
        this.held = held;
        this.transitions = transitions;
        this.partitions = partitions;
        this.writes = writes;
        this.payloads = payloads;
        this.topics = topics;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** An appointment event: a delivery to each endpoint, unless the index has it delivered or waiting already. */
    void acceptEvent(ConsumerRecord<String, byte[]> record) {
        partitions.reading(record, source -> {
            EventReader.Read read = EventReader.read(record.value());
            if (read instanceof EventReader.Invalid invalid) {
                deadLetter(record, invalid.reason());
                return;
            }
            EventReader.Valid event = (EventReader.Valid) read;
            for (EndpointQueue endpoint : endpoints.all()) {
                if (endpoint.endpoint.filter().accepts(event.key().eventType(), event.payload())) {
                    considerEvent(endpoint, event, record, source);
                }
            }
        });
    }

    private void considerEvent(EndpointQueue endpoint, EventReader.Valid event, ConsumerRecord<String, byte[]> record, TopicPartition source) {
        String id = DeliveryIds.forEvent(endpoint.name(), event.key());
        if (held.isUnderway(id)) {
            LOG.debug("{} read again while its delivery {} is under way", event.key(), id);
            return;
        }
        // A backfilled event shares its delivery id with the stream's event of the same key: what was delivered either
        // way is skipped, what waits is joined, and only what never went out (or failed) is posted.
        Header reasonHeader = record.headers().lastHeader(EventHeaders.REASON);
        boolean backfill = reasonHeader != null && EventHeaders.isBackfill(reasonHeader.value());
        HeldDeliveries.Known known = held.known(id);
        if (known.status() == DeliveryStatus.DELIVERED) {
            String skipId = DeliveryIds.forSkip(endpoint.name(), event.key(), DeadLetters.source(record));
            LOG.info("skipping {} read again at {}: the ledger has it delivered to {}", event.key(), DeadLetters.source(record), endpoint.name());
            Instant now = clock.instant();
            // No payload: the delivered record has it, and a skip would otherwise keep customer data past its retention.
            writes.ledger(DeliveryRecord.pending(skipId, endpoint.name(), event.key(), backfill ? DeliveryReason.BACKFILL : DeliveryReason.REPLAY,
                            null, now)
                    .next(DeliveryStatus.SKIPPED, 0, null, "already delivered", null, now));
            writes.count(endpoint.name(), CommitBatch.Outcomes.SKIPPED);
            return;
        }
        if (known.waiting() != null) {
            transitions.resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        DeliveryReason reason = backfill ? DeliveryReason.BACKFILL
                : known.status() == DeliveryStatus.FAILED ? DeliveryReason.REPLAY : DeliveryReason.EVENT;
        Delivery delivery = new Delivery(id, endpoint.name(), event.key(), source.partition(), reason, false, clock.instant(),
                record.value(), event.payload(), 0);
        Header derivedAt = record.headers().lastHeader(EventHeaders.DERIVED_AT);
        delivery.derivedAtMillis = derivedAt == null ? 0 : EventHeaders.millis(derivedAt.value()).orElse(0);
        transitions.start(delivery, source, record.offset());
    }

    /** An operator's retry, resend or forget, read from the requests partition that matches the appointment's event partition. */
    void acceptRequest(ConsumerRecord<String, byte[]> record) {
        partitions.reading(record, source -> {
            DeliveryRequest request;
            try {
                request = JsonSerde.of(DeliveryRequest.class).deserializer().deserialize(record.topic(), record.value());
                if (request == null) {
                    throw new IllegalArgumentException("empty value");
                }
            } catch (SerializationException | IllegalArgumentException | NullPointerException unreadable) {
                deadLetter(record, "not a delivery request: " + unreadable.getMessage());
                return;
            }
            for (DeliveryRequest.Item item : request.items()) {
                if (request.action() == DeliveryRequest.Action.FORGET) {
                    forget(request, item, source);
                } else if (request.action() == DeliveryRequest.Action.RETRY) {
                    retry(request, item, source, record.offset());
                } else {
                    for (EndpointQueue endpoint : targets(item)) {
                        resend(request, item, endpoint, source, record.offset());
                    }
                }
            }
        });
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warn("dead-lettering {}: {}", DeadLetters.source(record), reason);
        metrics.deadLettered();
        writes.deadLetter(DeadLetters.SINK.of(record, reason, topics.deadLetter()));
    }

    private void forget(DeliveryRequest request, DeliveryRequest.Item item, TopicPartition source) {
        if (!payloads.forget(source.partition(), item.forgotten())) {
            LOG.info("request {}: delivery {} ({}) changed since it was read for forget (under way, or another state now); its payload"
                    + " stays until forget runs again", request.requestId(), item.deliveryId(), item.idempotencyKey());
        }
    }

    private void retry(DeliveryRequest request, DeliveryRequest.Item item, TopicPartition source, long offset) {
        String id = item.deliveryId();
        Delivery underway = held.underway(id);
        if (underway != null) {
            LOG.info("request {}: delivery {} ({}) is under way ({}, {} attempt(s) so far); it gets no second attempt alongside",
                    request.requestId(), id, item.idempotencyKey(), underway.state.name().toLowerCase(Locale.ROOT), underway.attempts);
            return;
        }
        HeldDeliveries.Known known = held.known(id);
        if (known.status() == DeliveryStatus.DELIVERED) {
            LOG.info("request {}: {} is delivered already; a retry would send it twice, nothing to do", request.requestId(), item.idempotencyKey());
            return;
        }
        if (known.waiting() != null) {
            transitions.resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        String endpointName = known.endpoint() != null ? known.endpoint() : item.endpoint() != null ? item.endpoint() : Endpoint.DEFAULT_NAME;
        EndpointQueue endpoint = endpoints.get(endpointName);
        if (endpoint == null) {
            LOG.warn("request {}: delivery {} is for endpoint '{}', which this sink does not have; nothing sent", request.requestId(), id,
                    endpointName);
            return;
        }
        int attempts = Math.max(item.attemptsSoFar(), known.attempts());
        Delivery delivery = new Delivery(id, endpoint.name(), item.key(), source.partition(), DeliveryReason.RETRY, true, clock.instant(),
                body(item.payload()), item.payload(), attempts);
        transitions.start(delivery, source, offset);
    }

    private void resend(DeliveryRequest request, DeliveryRequest.Item item, EndpointQueue endpoint, TopicPartition source, long offset) {
        String id = DeliveryIds.forResend(request.requestId(), endpoint.name(), item.key());
        if (held.isUnderway(id)) {
            return;
        }
        HeldDeliveries.Known known = held.known(id);
        if (known.waiting() != null) {
            transitions.resumeUnlessSpilled(source.partition(), known.waiting());
            return;
        }
        if (known.status() != null) {
            LOG.info("request {}: resend {} of {} to {} was carried out already", request.requestId(), id, item.idempotencyKey(), endpoint.name());
            return;
        }
        Delivery delivery = new Delivery(id, endpoint.name(), item.key(), source.partition(), DeliveryReason.RESEND, false, clock.instant(),
                body(item.payload()), item.payload(), 0);
        transitions.start(delivery, source, offset);
    }

    /** The endpoint a resend names, or every endpoint whose filters accept the event. */
    private List<EndpointQueue> targets(DeliveryRequest.Item item) {
        if (item.endpoint() == null) {
            return endpoints.all().stream().filter(e -> e.endpoint.filter().accepts(item.key().eventType(), item.payload())).toList();
        }
        EndpointQueue endpoint = endpoints.get(item.endpoint());
        if (endpoint == null) {
            LOG.warn("resend of {} names endpoint '{}', which this sink does not have; nothing sent", item.idempotencyKey(), item.endpoint());
            return List.of();
        }
        return List.of(endpoint);
    }

    private static byte[] body(JsonNode payload) {
        try {
            return Json.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
