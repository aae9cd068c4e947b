package io.bookhook.schemas;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Kafka headers that derive puts on each record of {@code bookhook.appointment-events}, beside its key and payload.
 * The record's own timestamp is the commit time in Postgres (what {@code bookhook replay --since} seeks by), so
 * when the event was derived travels in a header: the sink measures derived→delivered from it.
 */
public final class EventHeaders {

    /** When derive emitted the event: epoch milliseconds as decimal text. */
    public static final String DERIVED_AT = "bookhook.derived-at";

    /**
     * Why the event is on the topic when it is not the stream's own: {@link #REASON_BACKFILL} on what {@code bookhook
     * backfill} wrote. Absent on derive's events. The sink records deliveries of a backfilled event with reason
     * {@code backfill}.
     */
    public static final String REASON = "bookhook.reason";

    /** The {@link #REASON} of an event {@code bookhook backfill} derived from rows read in Postgres. */
    public static final String REASON_BACKFILL = "backfill";

    private EventHeaders() {
    }

    /** Whether a record's {@link #REASON} header says {@code bookhook backfill} wrote it. */
    public static boolean isBackfill(byte[] reason) {
        return reason != null && REASON_BACKFILL.equals(new String(reason, StandardCharsets.US_ASCII));
    }

    public static byte[] millis(long epochMillis) {
        return Long.toString(epochMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /** The millis a header holds; empty when it is absent or not a number (an event from before the header). */
    public static OptionalLong millis(byte[] value) {
        if (value == null || value.length == 0 || value.length > 19) {
            return OptionalLong.empty();
        }
        long millis = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                return OptionalLong.empty();
            }
            millis = millis * 10 + (b - '0');
        }
        return OptionalLong.of(millis);
    }
}
