package io.bookhook.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayTimeTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void should_read_instants_with_a_zone_or_an_offset() {
        assertThat(ReplayTime.parse("2026-11-27T09:00:00Z", NOW)).isEqualTo("2026-11-27T09:00:00Z");
        assertThat(ReplayTime.parse("2026-11-27T10:00:00+01:00", NOW)).isEqualTo("2026-11-27T09:00:00Z");
        assertThat(ReplayTime.parse(" 2026-11-27T09:00:00.250z ", NOW)).isEqualTo("2026-11-27T09:00:00.250Z");
    }

    @Test
    void should_read_a_date_as_its_start_in_utc() {
        assertThat(ReplayTime.parse("2026-11-27", NOW)).isEqualTo("2026-11-27T00:00:00Z");
    }

    @Test
    void should_read_spans_back_from_now() {
        assertThat(ReplayTime.parse("24h", NOW)).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(ReplayTime.parse("90m", NOW)).isEqualTo("2026-11-28T10:30:00Z");
        assertThat(ReplayTime.parse("2d", NOW)).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(ReplayTime.parse("30s", NOW)).isEqualTo("2026-11-28T11:59:30Z");
    }

    @Test
    void should_refuse_a_time_without_a_zone_garbage_and_the_future_with_one_readable_line() {
        assertThatThrownBy(() -> ReplayTime.parse("2026-11-27T09:00:00", NOW))
                .isInstanceOf(OperatorException.class)
                .hasMessage("cannot read --since '2026-11-27T09:00:00': expected an ISO-8601 instant like 2026-11-27T09:00:00Z,"
                        + " a date like 2026-11-27 (UTC), or a span back from now like 90m, 24h or 2d");
        assertThatThrownBy(() -> ReplayTime.parse("yesterday", NOW)).hasMessageStartingWith("cannot read --since 'yesterday'");
        assertThatThrownBy(() -> ReplayTime.parse("2026-12-01", NOW))
                .hasMessage("--since 2026-12-01 is in the future: there is nothing to replay yet");
    }
}
