package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Renders ledger records (or any rows) as a small fixed-width table for a terminal. */
public final class LedgerTable {

    private static final String[] HEADERS = {"DELIVERY", "ENDPOINT", "IDEMPOTENCY KEY", "STATUS", "ATTEMPTS", "CODE", "REASON", "UPDATED"};

    private LedgerTable() {
    }

    public static String render(Collection<DeliveryRecord> records) {
        List<String[]> rows = new ArrayList<>();
        for (DeliveryRecord record : records) {
            rows.add(new String[] {
                record.deliveryId().substring(0, Math.min(8, record.deliveryId().length())),
                record.endpointName(),
                record.idempotencyKey(),
                record.status().wireName(),
                Integer.toString(record.attempts()),
                record.lastResponseCode() == null ? "-" : record.lastResponseCode().toString(),
                record.reason().wireName(),
                record.updatedAt() == null ? "-" : record.updatedAt().toString()});
        }
        return render(HEADERS, rows);
    }

    /** Columns as wide as their widest cell, two spaces apart. */
    public static String render(String[] headers, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        int[] widths = new int[headers.length];
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            table.append(System.lineSeparator());
        }
        return table.toString();
    }
}
