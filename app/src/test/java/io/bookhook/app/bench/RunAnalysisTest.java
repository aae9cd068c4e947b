package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bookhook.app.bench.LatencyLog.EventKind;
import io.bookhook.app.bench.LatencyStats.Summary;
import io.bookhook.app.bench.RunAnalysis.Figures;
import io.bookhook.app.bench.RunAnalysis.Second;
import org.junit.jupiter.api.Test;

class RunAnalysisTest {

    private static final long START = 1_800_000_000_000L;

    private final RowPhases phases = new RowPhases(1);
    private final LatencyLog log = new LatencyLog(1);

    @Test
    void a_webhook_counts_once_from_its_commit_to_its_first_2xx_whatever_came_before_or_after() {
        phases.pacedStarted(START, 0);
        phases.addPaced(1, EventKind.CREATED);
        log.append(1, EventKind.CREATED, START + 10, START + 40, 500, 1);
        log.append(1, EventKind.CREATED, START + 10, START + 5_060, 200, 2);
        log.append(1, EventKind.CREATED, START + 10, START + 9_000, 200, 2);

        Figures figures = RunAnalysis.analyze(log::forEach, phases);

        assertThat(figures.of(Phase.STEADY)).isEqualTo(new Summary(1, 5_050, 5_050, 5_050, 5_050));
        assertThat(figures.answers()).isEqualTo(3);
        assertThat(figures.notDelivered()).isEqualTo(1);
        assertThat(figures.duplicates()).isEqualTo(1);
    }

    @Test
    void warm_up_and_steady_are_split_by_commit_time_and_each_second_is_bucketed_by_commit_time() {
        phases.pacedStarted(START, 2_000);
        // Rows committed at 0.1 s, 1.5 s (warm-up), 2.0 s and 2.9 s (steady); one answered late, in a later second.
        long[][] rows = {{1, 100, 30}, {2, 1_500, 50}, {3, 2_000, 1_500}, {4, 2_900, 20}};
        for (long[] row : rows) {
            phases.addPaced(row[0], EventKind.CREATED);
            log.append(row[0], EventKind.CREATED, START + row[1], START + row[1] + row[2], 200, 1);
        }

        Figures figures = RunAnalysis.analyze(log::forEach, phases);

        assertThat(figures.of(Phase.WARMUP)).isEqualTo(new Summary(2, 30, 50, 50, 50));
        assertThat(figures.of(Phase.STEADY)).isEqualTo(new Summary(2, 20, 1_500, 1_500, 1_500));
        assertThat(figures.paced()).isEqualTo(new Summary(4, 30, 1_500, 1_500, 1_500));
        assertThat(figures.seconds()).containsExactly(
                new Second(0, Phase.WARMUP, new Summary(1, 30, 30, 30, 30)),
                new Second(1, Phase.WARMUP, new Summary(1, 50, 50, 50, 50)),
                new Second(2, Phase.STEADY, new Summary(2, 20, 1_500, 1_500, 1_500)));
    }

    @Test
    void the_backlog_rate_is_rows_over_first_commit_to_last_first_delivery() {
        phases.pacedStarted(START, 0);
        for (long id = 1; id <= 1_000; id++) {
            phases.addBacklog(id, EventKind.CREATED);
            // Two transactions: ids 1-500 committed at 10 s, 501-1000 at 10.2 s; the last delivered at 10.5 s.
            long commit = START + (id <= 500 ? 10_000 : 10_200);
            log.append(id, EventKind.CREATED, commit, START + 10_000 + id / 2, 200, 1);
        }

        Figures figures = RunAnalysis.analyze(log::forEach, phases);

        assertThat(figures.drain().webhooks()).isEqualTo(1_000);
        assertThat(figures.drain().firstCommitMs()).isEqualTo(START + 10_000);
        assertThat(figures.drain().lastDeliveryMs()).isEqualTo(START + 10_500);
        assertThat(figures.drain().perSecond()).isCloseTo(2_000.0, within(0.001));
        assertThat(figures.seconds()).extracting(Second::second).containsExactly(10L);
        assertThat(figures.seconds().get(0).phase()).isEqualTo(Phase.BACKLOG);
    }

    @Test
    void rows_the_bench_did_not_write_are_kept_out_of_every_phase() {
        RowPhases fromFive = new RowPhases(5);
        LatencyLog fromFiveLog = new LatencyLog(5);
        fromFive.pacedStarted(START, 0);
        fromFive.addPaced(5, EventKind.CREATED);
        fromFiveLog.append(3, EventKind.CREATED, START, START + 999, 200, 1); // an older row of another writer
        fromFiveLog.append(6, EventKind.CREATED, START, START + 999, 200, 1); // a row the bench did not insert
        fromFiveLog.append(5, EventKind.CREATED, START, START + 7, 200, 1);

        Figures figures = RunAnalysis.analyze(fromFiveLog::forEach, fromFive);

        assertThat(figures.paced()).isEqualTo(new Summary(1, 7, 7, 7, 7));
        assertThat(figures.of(Phase.OTHER).count()).isEqualTo(2);
        assertThat(figures.seconds()).hasSize(1);
    }

    @Test
    void a_run_without_deliveries_has_empty_figures() {
        phases.pacedStarted(START, 1_000);

        Figures figures = RunAnalysis.analyze(log::forEach, phases);

        assertThat(figures.paced().isEmpty()).isTrue();
        assertThat(figures.drain().perSecond()).isZero();
        assertThat(figures.seconds()).isEmpty();
    }
}
