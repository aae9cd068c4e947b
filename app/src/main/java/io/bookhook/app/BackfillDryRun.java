package io.bookhook.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.ledger.LedgerView;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import io.bookhook.sink.DeliveryIds;
import io.bookhook.sink.EndpointSettings;
import io.bookhook.sink.EventFilter;
import io.bookhook.sink.SinkSettings;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code backfill --dry-run}: counts a backfill's events per event type and endpoint, and how many of them the ledger
 * has delivered already (the sink would skip those); writes nothing.
 */
final class BackfillDryRun {

    private BackfillDryRun() {
    }

    /** Counts what {@code reader} reads and prints the table; {@code range} names it. */
    static int count(BookhookSettings settings, BackfillReader reader, String range, PrintWriter out) throws Exception {
        SinkSettings sink = settings.sink();
        Map<String, EventFilter> filters = new LinkedHashMap<>();
        for (EndpointSettings endpoint : sink.endpoints()) {
            filters.put(endpoint.name(), new EventFilter(endpoint.events(), endpoint.salons(), sink.salonIdColumn()));
        }
        // per event type, per endpoint: {events, delivered already}
        Map<EventType, Map<String, long[]>> counts = new EnumMap<>(EventType.class);
        Map<EventType, Long> derived = new EnumMap<>(EventType.class);
        long appointments;
        try (LedgerView ledger = OperatorCommand.caughtUpLedger(settings)) {
            appointments = reader.read(events -> {
                for (AppointmentEvent event : events) {
                    derived.merge(event.eventType(), 1L, Long::sum);
                    JsonNode payload = Json.mapper().valueToTree(event);
                    for (Map.Entry<String, EventFilter> endpoint : filters.entrySet()) {
                        if (!endpoint.getValue().accepts(event.eventType(), payload)) {
                            continue;
                        }
                        long[] count = counts.computeIfAbsent(event.eventType(), t -> new LinkedHashMap<>())
                                .computeIfAbsent(endpoint.getKey(), e -> new long[2]);
                        count[0]++;
                        boolean delivered = ledger.index().byDeliveryId(DeliveryIds.forEvent(endpoint.getKey(), event.key()))
                                .filter(record -> record.status() == DeliveryStatus.DELIVERED).isPresent();
                        if (delivered) {
                            count[1]++;
                        }
                    }
                }
            });
        }
        long total = derived.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "would backfill %,d appointments with %s: %,d events (%s)%n", appointments, range, total,
                BackfillCommand.perType(derived));
        out.printf("  %-10s  %-20s  %8s  %9s  %7s%n", "EVENT", "ENDPOINT", "EVENTS", "DELIVERED", "TO POST");
        for (Map.Entry<EventType, Map<String, long[]>> type : counts.entrySet()) {
            for (Map.Entry<String, long[]> endpoint : type.getValue().entrySet()) {
                long[] count = endpoint.getValue();
                out.printf("  %-10s  %-20s  %8d  %9d  %7d%n", type.getKey().wireName(), endpoint.getKey(), count[0], count[1],
                        count[0] - count[1]);
            }
        }
        out.println("nothing written (--dry-run)");
        return 0;
    }
}
