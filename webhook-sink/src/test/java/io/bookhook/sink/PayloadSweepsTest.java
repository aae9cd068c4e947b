package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the sink looks for ledger payloads past their retention, and the cutoff it looks before. */
class PayloadSweepsTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void sweeps_for_what_was_kept_longer_than_the_retention_once_a_minute_at_most_and_at_once_while_a_backlog_remains() {
        PayloadSweeps sweeps = new PayloadSweeps(Optional.of(Duration.ofDays(30)));
        assertThat(sweeps.due(T)).contains(T.minus(Duration.ofDays(30)));

        sweeps.swept(T, 3);
        assertThat(sweeps.due(T.plusSeconds(59))).isEmpty();
        assertThat(sweeps.due(T.plusSeconds(60))).contains(T.plusSeconds(60).minus(Duration.ofDays(30)));

        sweeps.swept(T, PayloadSweeps.BATCH);
        assertThat(sweeps.due(T)).as("a full batch: more may wait").isPresent();
    }

    @Test
    void a_short_retention_sweeps_every_tenth_of_it_but_not_more_than_once_a_second() {
        PayloadSweeps tenSeconds = new PayloadSweeps(Optional.of(Duration.ofSeconds(30)));
        tenSeconds.swept(T, 0);
        assertThat(tenSeconds.due(T.plusSeconds(2))).isEmpty();
        assertThat(tenSeconds.due(T.plusSeconds(3))).isPresent();

        PayloadSweeps twoSeconds = new PayloadSweeps(Optional.of(Duration.ofSeconds(2)));
        twoSeconds.swept(T, 0);
        assertThat(twoSeconds.due(T.plusMillis(999))).isEmpty();
        assertThat(twoSeconds.due(T.plusSeconds(1))).isPresent();
    }

    @Test
    void payloads_kept_for_ever_are_never_swept() {
        assertThat(new PayloadSweeps(Optional.empty()).due(T)).isEmpty();
    }
}
