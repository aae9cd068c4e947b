package io.bookhook.schemas;

/**
 * How large an event may be under Kafka's record limit ({@code BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES}, every producing
 * stage's {@code max.request.size}). Derive writes no event over {@link #eventLimit}, so that the sink's records of it
 * fit under the same limit: while a delivery waits for a retry its delivery-index entry carries the body to post in
 * base64 (4/3 of it), and its ledger record the payload with a response excerpt. An event that fit Kafka but not
 * those would fail the sink's transaction on every restart instead.
 */
public final class RecordLimits {

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_576;

    /**
     * What the sink's records of one event hold besides it, at most: the index entry's and ledger record's fields, the
     * body's envelope, and a response excerpt of 4 KiB that JSON escaping can make several times larger.
     */
    public static final int SINK_RESERVE = 32_768;

    /** The smallest record limit bookhook accepts: one that leaves room for events after {@link #SINK_RESERVE}. */
    public static final int MIN_MAX_RECORD_BYTES = 65_536;

    private RecordLimits() {
    }

    /** The largest event derive writes under {@code maxRecordBytes}: one whose base64 body and sink records still fit. */
    public static long eventLimit(int maxRecordBytes) {
        return Math.max(0, (long) (maxRecordBytes - SINK_RESERVE) * 3 / 4);
    }
}
