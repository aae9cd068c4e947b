package io.bookhook.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.IdempotencyKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Erases one customer's personal data from the ledger ({@code bookhook forget}, issue 15): the latest record of every
 * delivery whose payload names the customer is written again without its payload, every other field as it was
 * ({@code updated_at} too, so lists keep their order and the record still tells when the delivery last changed). The
 * sink that owns the delivery writes it, asked through {@code bookhook.delivery-requests} like a retry, so the ledger
 * keeps one writer per delivery.
 *
 * <p>Only final records are rewritten. A {@code pending} or {@code retrying} record belongs to a sink that holds the body
 * and writes the payload again with the delivery's next state, so erasing it now would not last: those are reported,
 * to be forgotten once final. Compaction removes the older versions of a rewritten record only when the broker compacts
 * its segment.
 *
 * <p>Each request carries the records as read here; the sink writes one only if the delivery's state is still that one
 * (not under way again, not another final state since), so a retry or replay carried out meanwhile is never replaced
 * by an older state. What it skips keeps its payload until forget runs again.
 *
 * <p>A record without a payload names nobody; those of the customer's appointments (found through the records that
 * still name the customer) are counted as already erased.
 */
public final class CustomerErasure {

    /**
     * The columns that name a customer in a payload, as the table mapping calls them: {@code customerId} in the
     * {@code customer} row (its primary key), {@code appointmentCustomerId} in the {@code appointment} row (its foreign
     * key, which still names the customer when the customer row had not arrived and the payload's {@code customer} is null).
     */
    public record CustomerColumns(String customerId, String appointmentCustomerId) {
        public CustomerColumns {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(appointmentCustomerId, "appointmentCustomerId");
        }
    }

    /**
     * What was done for one customer, as delivery ids: records {@code requested} to be rewritten without their payload, records of the
     * customer's appointments {@code alreadyWithoutPayload}, and records {@code underWay} (pending or retrying) left alone.
     */
    public record Result(String customerId, List<String> requested, List<String> alreadyWithoutPayload, List<String> underWay) {
        public Result {
            requested = List.copyOf(requested);
            alreadyWithoutPayload = List.copyOf(alreadyWithoutPayload);
            underWay = List.copyOf(underWay);
        }

        /** True when no record of the ledger names the customer in a payload. */
        public boolean nothingFound() {
            return requested.isEmpty() && alreadyWithoutPayload.isEmpty() && underWay.isEmpty();
        }
    }

    private final LedgerIndex ledger;
    private final RequestPublisher requests;
    private final CustomerColumns columns;
    private final Clock clock;

    /** {@code ledger} must be caught up: what it has not read yet is not erased. */
    public CustomerErasure(LedgerIndex ledger, RequestPublisher requests, CustomerColumns columns, Clock clock) {
        this.ledger = ledger;
        this.requests = requests;
        this.columns = columns;
        this.clock = clock;
    }

    /**
     * Asks the sink to rewrite the final records naming {@code customerId} without their payload, one request per
     * appointment; returns once Kafka stored the requests. The sink writes each record only if it is still the
     * delivery's state, so a retry or replay carried out meanwhile is never overwritten with an older state.
     */
    public Result forget(String customerId) {
        String id = customerId.strip();
        if (id.isEmpty()) {
            throw OperatorException.invalid("the customer id is empty");
        }
        Map<String, List<DeliveryRecord>> erased = new LinkedHashMap<>();
        List<String> underWay = new ArrayList<>();
        Set<String> appointments = new LinkedHashSet<>();
        ledger.forEachWithPayload(record -> {
            if (names(record.payload(), columns, id)) {
                // From the key, which every record has: the appointment the forget request is keyed by.
                String appointment = IdempotencyKey.parse(record.idempotencyKey()).appointmentId();
                if (record.isFinal()) {
                    erased.computeIfAbsent(appointment, a -> new ArrayList<>()).add(record.withoutPayload());
                } else {
                    underWay.add(record.deliveryId());
                }
                appointments.add(appointment);
            }
            return true;
        });
        List<String> alreadyWithout = new ArrayList<>();
        for (String appointment : appointments) {
            for (DeliveryRecord record : ledger.byAppointment(appointment)) {
                if (!record.hasPayload()) {
                    alreadyWithout.add(record.deliveryId());
                }
            }
        }
        erased.forEach((appointment, records) ->
                requests.publish(DeliveryRequest.forget(UUID.randomUUID().toString(), appointment, records, clock.instant())));
        return new Result(id, erased.values().stream().flatMap(List::stream).map(DeliveryRecord::deliveryId).toList(), alreadyWithout,
                underWay);
    }

    /** True when {@code payload}'s customer row or appointment row holds {@code customerId} in the column that names a customer. */
    static boolean names(JsonNode payload, CustomerColumns columns, String customerId) {
        return payload != null
                && (holds(payload.path("customer").path(columns.customerId()), customerId)
                        || holds(payload.path("appointment").path(columns.appointmentCustomerId()), customerId));
    }

    /** A number or a text (capture writes numeric columns as text): compared as the text an operator types. */
    private static boolean holds(JsonNode value, String customerId) {
        return (value.isNumber() || value.isTextual()) && value.asText().equals(customerId);
    }
}
