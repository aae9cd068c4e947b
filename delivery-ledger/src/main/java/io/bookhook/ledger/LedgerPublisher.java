package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import java.util.List;

/** Where operators' own ledger records go: {@link LedgerWriter} on Kafka; the seam lets {@link CustomerErasure} be tested alone. */
@FunctionalInterface
public interface LedgerPublisher {

    /** Returns once every record is durably stored, keyed by its delivery id; throws an {@code UNAVAILABLE} {@link OperatorException} otherwise. */
    void write(List<DeliveryRecord> records);
}
