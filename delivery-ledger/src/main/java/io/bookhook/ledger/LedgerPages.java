package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one page of the deliveries matching a filter out of one snapshot of the store, newest first, without payloads:
 * it reads only the entries it returns, one more to know whether there is a next page, and, with an appointment
 * filter, that appointment's few deliveries.
 */
final class LedgerPages {

    private LedgerPages() {
    }

    /** At most {@code limit} deliveries after the position {@code after} (null: from the newest), and how many match in all. */
    static LedgerIndex.Page page(LedgerSnapshot read, DeliveryStatus status, String appointmentId, String endpoint, byte[] after,
                                 int limit) {
        return appointmentId != null ? ofAppointment(read, status, appointmentId, endpoint, after, limit)
                : ofIndex(read, status, endpoint, after, limit);
    }

    /** One appointment has few deliveries: read them all, filter, count and cut the page. */
    private static LedgerIndex.Page ofAppointment(LedgerSnapshot read, DeliveryStatus status, String appointmentId, String endpoint,
                                                  byte[] after, int limit) {
        List<DeliveryRecord> found = new ArrayList<>();
        byte[][] last = {null};
        boolean[] more = {false};
        byte[] prefix = LedgerKeys.byAppointment(appointmentId);
        long[] total = {0};
        read.scan(prefix, null, key -> {
            DeliveryRecord record = read.load(LedgerKeys.idOf(key, prefix.length), false);
            if (record != null && (status == null || record.status() == status)
                    && (endpoint == null || record.endpointName().equals(endpoint))) {
                total[0]++;
                byte[] position = LedgerKeys.position(key, prefix.length);
                if (after == null || Arrays.compareUnsigned(position, after) > 0) {
                    if (found.size() < limit) {
                        found.add(record);
                        last[0] = position;
                    } else {
                        more[0] = true;
                    }
                }
            }
            return true;
        });
        return new LedgerIndex.Page(found, total[0], more[0] ? LedgerKeys.encodeCursor(last[0]) : null);
    }

    /** Any other filter has an index of its own, newest first: read the page's entries and one more; the total is counted. */
    private static LedgerIndex.Page ofIndex(LedgerSnapshot read, DeliveryStatus status, String endpoint, byte[] after, int limit) {
        List<DeliveryRecord> found = new ArrayList<>();
        byte[][] last = {null};
        boolean[] more = {false};
        byte[] prefix = LedgerKeys.byFilter(status, endpoint);
        read.scan(prefix, after, key -> {
            if (found.size() == limit) {
                more[0] = true;
                return false;
            }
            DeliveryRecord record = read.load(LedgerKeys.idOf(key, prefix.length), false);
            if (record != null) {
                found.add(record);
                last[0] = LedgerKeys.position(key, prefix.length);
            }
            return true;
        });
        return new LedgerIndex.Page(found, read.counts().total(status, endpoint), more[0] ? LedgerKeys.encodeCursor(last[0]) : null);
    }
}
