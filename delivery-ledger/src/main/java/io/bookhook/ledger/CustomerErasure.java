package io.bookhook.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Erases one customer's personal data from the ledger ({@code bookhook forget}, issue 15): the latest record of every
 * delivery whose payload names the customer is written again without its payload, every other field as it was
 * ({@code updated_at} too, so lists keep their order and the record still tells when the delivery last changed).
 *
 * <p>Only final records are rewritten. A {@code pending} or {@code retrying} record belongs to a sink that holds the body
 * and writes the payload again with the delivery's next state, so erasing it now would not last: those are reported,
 * to be forgotten once final. Compaction removes the older versions of a rewritten record only when the broker compacts
 * its segment.
 *
 * <p>The rewrite is not atomic with the sink's writes: a state the sink writes for one of these deliveries between the
 * view's read and this write (a retry or replay carried out meanwhile) is replaced by the older state without payload.
 * The ledger offers no compare-and-set, so the window is kept to the moments between reading and writing.
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
     * What was done for one customer, as delivery ids: records {@code rewritten} without their payload, records of the
     * customer's appointments {@code alreadyWithoutPayload}, and records {@code underWay} (pending or retrying) left alone.
     */
    public record Result(String customerId, List<String> rewritten, List<String> alreadyWithoutPayload, List<String> underWay) {
        public Result {
            rewritten = List.copyOf(rewritten);
            alreadyWithoutPayload = List.copyOf(alreadyWithoutPayload);
            underWay = List.copyOf(underWay);
        }

        /** True when no record of the ledger names the customer in a payload. */
        public boolean nothingFound() {
            return rewritten.isEmpty() && alreadyWithoutPayload.isEmpty() && underWay.isEmpty();
        }
    }

    private final LedgerIndex ledger;
    private final LedgerPublisher writer;
    private final CustomerColumns columns;

    /** {@code ledger} must be caught up: what it has not read yet is not erased. */
    public CustomerErasure(LedgerIndex ledger, LedgerPublisher writer, CustomerColumns columns) {
        this.ledger = ledger;
        this.writer = writer;
        this.columns = columns;
    }

    /** Rewrites the final records naming {@code customerId} without their payload; returns once Kafka stored them. */
    public Result forget(String customerId) {
        String id = customerId.strip();
        if (id.isEmpty()) {
            throw OperatorException.invalid("the customer id is empty");
        }
        List<DeliveryRecord> erased = new ArrayList<>();
        List<String> underWay = new ArrayList<>();
        Set<String> appointments = new LinkedHashSet<>();
        ledger.forEachWithPayload(record -> {
            if (names(record.payload(), columns, id)) {
                if (record.isFinal()) {
                    erased.add(record.withoutPayload());
                } else {
                    underWay.add(record.deliveryId());
                }
                if (record.appointmentId() != null) {
                    appointments.add(record.appointmentId());
                }
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
        if (!erased.isEmpty()) {
            writer.write(erased);
        }
        return new Result(id, erased.stream().map(DeliveryRecord::deliveryId).toList(), alreadyWithout, underWay);
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
