package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.app.bench.LatencyStats.Summary;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentiles_of_one_to_a_hundred_are_the_values_at_their_ranks() {
        long[] latencies = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // unsorted on purpose

        assertThat(LatencyStats.summarize(latencies)).isEqualTo(new Summary(100, 50, 95, 99, 100));
    }

    @Test
    void nearest_rank_rounds_the_rank_up_never_interpolates() {
        long[] ten = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        // p50 of 10: rank 5; p95: rank ⌈9.5⌉ = 10; p99: rank ⌈9.9⌉ = 10.
        assertThat(LatencyStats.summarize(ten)).isEqualTo(new Summary(10, 50, 100, 100, 100));
        // p50 of 200 values is rank 100 exactly (no floating-point ⌈100.00000001⌉ = 101).
        long[] twoHundred = LongStream.rangeClosed(1, 200).toArray();
        assertThat(LatencyStats.nearestRank(twoHundred, 200, 50)).isEqualTo(100);
        assertThat(LatencyStats.nearestRank(twoHundred, 200, 99)).isEqualTo(198);
        assertThat(LatencyStats.nearestRank(new long[] {7, 9, 11}, 3, 1)).isEqualTo(7);
    }

    @Test
    void one_value_is_every_percentile() {
        assertThat(LatencyStats.summarize(new long[] {42})).isEqualTo(new Summary(1, 42, 42, 42, 42));
    }

    @Test
    void only_the_first_count_values_are_summarized() {
        long[] buffer = {5, 1, 3, 1000, 1000};

        assertThat(LatencyStats.summarize(buffer, 3)).isEqualTo(new Summary(3, 3, 5, 5, 5));
    }

    @Test
    void no_values_give_an_empty_summary() {
        assertThat(LatencyStats.summarize(new long[0])).isEqualTo(Summary.EMPTY);
        assertThat(Summary.EMPTY.isEmpty()).isTrue();
        assertThatThrownBy(() -> LatencyStats.nearestRank(new long[0], 0, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
