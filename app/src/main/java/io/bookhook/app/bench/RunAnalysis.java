package io.bookhook.app.bench;

import io.bookhook.app.bench.LatencyLog.Answer;
import io.bookhook.app.bench.LatencyStats.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The figures of a run, computed only from what the receiver saw: each webhook's latency is its first 2xx answer's
 * time minus its {@code occurred_at}; later 2xx answers for the same key are duplicates and not counted again.
 */
public final class RunAnalysis {

    /** One second of the run, by commit time counted from the paced phase's start, and the phase its webhooks are of. */
    public record Second(long second, Phase phase, Summary latency) {
    }

    /** The backlog: its first commit, its last first delivery, and the rate in between. */
    public record Drain(int webhooks, long firstCommitMs, long lastDeliveryMs) {

        /** Webhooks per second from the first backlog row's commit to the last backlog webhook's first 2xx; 0 when unknown. */
        public double perSecond() {
            long span = lastDeliveryMs - firstCommitMs;
            return webhooks == 0 || span <= 0 ? 0 : webhooks * 1000.0 / span;
        }
    }

    public record Figures(Map<Phase, Summary> phases, Summary paced, List<Second> seconds, Drain drain, int answers,
                          int notDelivered, int duplicates, int unreadable) {

        public Summary of(Phase phase) {
            return phases.getOrDefault(phase, Summary.EMPTY);
        }
    }

    private RunAnalysis() {
    }

    /** {@code answers}: a source of every answer in the order the receiver gave them. */
    public static Figures analyze(Consumer<Consumer<Answer>> answers, RowPhases phases) {
        Map<Phase, Longs> byPhase = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            byPhase.put(phase, new Longs());
        }
        Longs paced = new Longs();
        TreeMap<Long, Bucket> bySecond = new TreeMap<>();
        long pacedStart = phases.pacedStartMs();
        int[] counts = new int[4]; // answers, not 2xx, duplicates, unreadable
        long[] drain = {Long.MAX_VALUE, Long.MIN_VALUE};
        answers.accept(answer -> {
            counts[0]++;
            if (!answer.delivered()) {
                counts[1]++;
                return;
            }
            if (!answer.firstDelivery()) {
                counts[2]++;
                return;
            }
            if (answer.occurredAtMs() == LatencyLog.UNKNOWN_TIME || answer.appointmentId() == LatencyLog.UNKNOWN_ID) {
                counts[3]++;
                return;
            }
            Phase phase = phases.phaseOf(answer);
            long latency = answer.latencyMs();
            byPhase.get(phase).add(latency);
            if (phase == Phase.OTHER) {
                return;
            }
            if (phase != Phase.BACKLOG) {
                paced.add(latency);
            } else {
                drain[0] = Math.min(drain[0], answer.occurredAtMs());
                drain[1] = Math.max(drain[1], answer.answeredAtMs());
            }
            // Paced and backlog rows are committed in different seconds; the warm-up's end may split one second,
            // which then counts as warm-up (the phase of its first webhook).
            bySecond.computeIfAbsent(Math.floorDiv(answer.occurredAtMs() - pacedStart, 1000L), s -> new Bucket(phase)).values.add(latency);
        });
        Map<Phase, Summary> summaries = new EnumMap<>(Phase.class);
        byPhase.forEach((phase, values) -> summaries.put(phase, values.summary()));
        List<Second> seconds = new ArrayList<>();
        bySecond.forEach((second, bucket) -> seconds.add(new Second(second, bucket.phase, bucket.values.summary())));
        int backlogCount = summaries.get(Phase.BACKLOG).count();
        Drain backlog = backlogCount == 0 ? new Drain(0, 0, 0) : new Drain(backlogCount, drain[0], drain[1]);
        return new Figures(summaries, paced.summary(), seconds, backlog, counts[0], counts[1], counts[2], counts[3]);
    }

    private static final class Bucket {
        final Phase phase;
        final Longs values = new Longs();

        Bucket(Phase phase) {
            this.phase = phase;
        }
    }

    /** A growable array of longs: latencies of a phase or a second, without boxing. */
    static final class Longs {
        private long[] values = new long[16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        Summary summary() {
            return LatencyStats.summarize(values, size);
        }
    }
}
