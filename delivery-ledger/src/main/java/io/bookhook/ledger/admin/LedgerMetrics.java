package io.bookhook.ledger.admin;

import io.bookhook.ledger.LedgerView;
import io.bookhook.schemas.DeliveryStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters derived from the ledger view. Deliveries by outcome come from the ledger rather than from one sink's
 * counters, so they are right across sink restarts and several sink instances, and cover what operators resent.
 */
final class LedgerMetrics {

    private LedgerMetrics() {
    }

    static void bind(MeterRegistry registry, LedgerView view) {
        for (DeliveryStatus status : DeliveryStatus.values()) {
            Gauge.builder("bookhook.ledger.deliveries", view, v -> v.index().count(status))
                    .description("Deliveries in the ledger by their latest status")
                    .tag("status", status.wireName())
                    .register(registry);
        }
        Gauge.builder("bookhook.ledger.view.ready", view, v -> v.isCaughtUp() ? 1 : 0)
                .description("1 once the admin's ledger view has read the ledger to its end")
                .register(registry);
        FunctionCounter.builder("bookhook.ledger.records.read", view, LedgerView::recordsRead)
                .description("Ledger records read by the admin's view").register(registry);
        FunctionCounter.builder("bookhook.ledger.records.unreadable", view, LedgerView::unreadableRecords)
                .description("Ledger records the view skipped because they were not a delivery record").register(registry);
    }
}
