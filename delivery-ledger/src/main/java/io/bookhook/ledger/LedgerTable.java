package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Renders ledger records as a small fixed-width table for a terminal. */
public final class LedgerTable {

    private static final String[] HEADERS = {"DELIVERY", "IDEMPOTENCY KEY", "STATUS", "ATTEMPTS", "CODE", "REASON", "UPDATED"};

    private LedgerTable() {
    }

    public static String render(Collection<DeliveryRecord> records) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (DeliveryRecord record : records) {
            rows.add(new String[] {
                record.deliveryId().substring(0, Math.min(8, record.deliveryId().length())),
                record.idempotencyKey(),
                record.status().wireName(),
                Integer.toString(record.attempts()),
                record.lastResponseCode() == null ? "-" : record.lastResponseCode().toString(),
                record.reason().wireName(),
                record.updatedAt() == null ? "-" : record.updatedAt().toString()});
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            table.append(System.lineSeparator());
        }
        return table.toString();
    }
}
