package io.bookhook.sink;

import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory stays bounded: while the deliveries the sink holds reach {@code BOOKHOOK_SINK_MAX_BUFFERED} its partitions are
 * paused, and they resume once it has worked a quarter of them off (so it does not flap at the bound).
 */
final class Backpressure {

    private static final Logger LOG = LoggerFactory.getLogger(Backpressure.class);

    private final Consumer<?, ?> consumer;
    private final int maxBuffered;
    private boolean paused;

    Backpressure(Consumer<?, ?> consumer, int maxBuffered) {
        this.consumer = consumer;
        this.maxBuffered = maxBuffered;
    }

    void update(int held) {
        if (held >= maxBuffered) {
            if (!paused) {
                LOG.info("holding {} deliveries in memory (BOOKHOOK_SINK_MAX_BUFFERED={}): pausing its partitions until it works them off",
                        held, maxBuffered);
            }
            paused = true;
            consumer.pause(consumer.assignment());
        } else if (paused && held <= maxBuffered * 3 / 4) {
            paused = false;
            consumer.resume(consumer.paused());
        }
    }
}
