package io.bookhook.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the warnings the Kafka clients log on a clean start that are not faults, so that a WARN in a stage's log
 * always means something (logback.xml installs it). Only exact messages (after the client's "[Consumer clientId=...]" prefix) are dropped, never a whole logger:
 * <ul>
 * <li>"Not updating last stable offset for partition ... as it is no longer assigned": derive's global consumer loads
 * the related-row tables one partition at a time, and an offset answer for the partition it just let go of arrives
 * after it moved on. Once per partition at every start.</li>
 * </ul>
 */
public final class BenignWarnings extends TurboFilter {

    private static final String OFFSET_FETCHER = "org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils";
    private static final String NO_LONGER_ASSIGNED = "Not updating last stable offset for partition";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.WARN && format != null && logger.getName().equals(OFFSET_FETCHER) && format.contains(NO_LONGER_ASSIGNED)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
