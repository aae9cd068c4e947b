package io.bookhook.schemas;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The one line of a stage that stops because its committed offset is no longer in the log (retention deleted the
 * records, or the topic was created again) instead of skipping what it never read. Derive and the sink say it alike.
 */
public final class OffsetGaps {

    private OffsetGaps() {
    }

    /**
     * Why {@code committed} is outside the log that now runs from {@code start} to {@code end}; empty when it is inside.
     * {@code start} or {@code end} null: not known. {@code records}: what the topic holds, as in "events".
     */
    public static Optional<String> describe(TopicPartition partition, long committed, Long start, Long end, String records) {
        String where = "its committed offset " + committed + " of " + partition;
        if (start == null || end == null) {
            return Optional.of(where + " is not in the log any more");
        }
        if (committed < start) {
            return Optional.of(where + " is gone: the log now runs from " + start + " to " + end + ", so " + (start - committed) + " "
                    + records + " were deleted before it read them");
        }
        if (committed > end) {
            return Optional.of(where + " is past the log's end " + end + " (was the topic deleted and created again?)");
        }
        return Optional.empty();
    }

    /** {@code who}: "the sink", "derive"; {@code gaps}: what {@link #describe} said of each partition. */
    public static IllegalStateException stop(String who, String records, List<String> gaps, Throwable cause) {
        return new IllegalStateException(who + " stops rather than skip " + records + " it never read: " + String.join("; ", gaps)
                + ". See the README, \"A gap in a topic\"", cause);
    }
}
