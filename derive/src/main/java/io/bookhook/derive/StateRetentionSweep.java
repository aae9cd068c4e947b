package io.bookhook.derive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drops the state of appointments derive has not seen a change of for the retention time and that have no event
 * waiting, {@link AppointmentDeriver#SWEEP_BATCH} states per run, going round the store. A later change of such an
 * appointment is derived as if it were the first one derive saw of it (see the README).
 */
final class StateRetentionSweep {

    private final KeyValueStore<String, AppointmentState> states;
    private final Duration retention;
    private final Predicate<String> waiting;
    private final DeriveMetrics metrics;
    /** Where the next sweep starts; null: at the first appointment. */
    private String sweepFrom;

    /** {@code waiting}: whether an appointment has events waiting (its state stays). */
    StateRetentionSweep(KeyValueStore<String, AppointmentState> states, Duration retention, Predicate<String> waiting, DeriveMetrics metrics) {
        this.states = states;
        this.retention = retention;
        this.waiting = waiting;
        this.metrics = metrics;
    }

    void sweep(long now) {
        List<String> expired = new ArrayList<>();
        List<KeyValue<String, AppointmentState>> unstamped = new ArrayList<>();
        int seen = 0;
        String last = null;
        try (KeyValueIterator<String, AppointmentState> all = states.range(sweepFrom, null)) {
            while (all.hasNext() && seen < AppointmentDeriver.SWEEP_BATCH) {
                KeyValue<String, AppointmentState> entry = all.next();
                seen++;
                last = entry.key;
                AppointmentState state = entry.value;
                if (state.lastSeenMillis() == 0) {
                    unstamped.add(entry); // from before the time was kept: its retention starts now
                } else if (now - state.lastSeenMillis() >= retention.toMillis() && !waiting.test(entry.key)) {
                    expired.add(entry.key);
                }
            }
            sweepFrom = all.hasNext() ? last + '\0' : null;
        }
        for (String id : expired) {
            states.delete(id);
            metrics.stateDropped("retention");
        }
        for (KeyValue<String, AppointmentState> entry : unstamped) {
            states.put(entry.key, new AppointmentState(entry.value.derived(), entry.value.row(), now));
        }
    }
}
