package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.app.bench.LatencyLog.Answer;
import io.bookhook.app.bench.LatencyLog.EventKind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyLogTest {

    @Test
    void a_second_2xx_for_the_same_key_is_a_duplicate_and_a_500_is_no_delivery() {
        LatencyLog log = new LatencyLog(100);

        Answer failed = log.append(100, EventKind.CREATED, 1_000, 1_050, 500, 1);
        Answer delivered = log.append(100, EventKind.CREATED, 1_000, 6_100, 200, 2);
        Answer again = log.append(100, EventKind.CREATED, 1_000, 9_000, 200, 1);
        Answer confirmed = log.append(100, EventKind.CONFIRMED, 2_000, 2_010, 200, 1);

        assertThat(failed.firstDelivery()).isFalse();
        assertThat(delivered.firstDelivery()).isTrue();
        assertThat(delivered.latencyMs()).isEqualTo(5_100);
        assertThat(again.firstDelivery()).isFalse();
        assertThat(confirmed.firstDelivery()).isTrue();
        assertThat(log.firstDeliveries()).isEqualTo(2);
        assertThat(log.duplicates()).isEqualTo(1);
        assertThat(log.size()).isEqualTo(4);
        assertThat(log.get(1)).isEqualTo(delivered);
        assertThat(log.get(2).idempotencyKey()).isEqualTo("appointment:100:created");
    }

    @Test
    void answers_read_back_in_order_across_many_off_heap_chunks() {
        LatencyLog log = new LatencyLog(1);
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            log.append(1 + i, EventKind.CREATED, 1_000L * i, 1_000L * i + (i % 97), 200, 1 + i % 3);
        }

        List<Answer> read = new ArrayList<>();
        log.forEach(read::add);

        assertThat(read).hasSize(count);
        assertThat(read.get(77_777)).isEqualTo(new Answer(77_778, EventKind.CREATED, 77_777_000L, 77_777_000L + 77_777 % 97, 200,
                1 + 77_777 % 3, true));
        assertThat(log.offHeapBytes()).isGreaterThanOrEqualTo((long) count * LatencyLog.RECORD_BYTES);
        assertThat(log.firstDeliveries()).isEqualTo(count);
    }

    @Test
    void delivered_among_counts_only_the_webhooks_asked_about() {
        LatencyLog log = new LatencyLog(10);
        log.append(10, EventKind.CREATED, 0, 1, 200, 1);
        log.append(11, EventKind.CREATED, 0, 1, 200, 1);
        log.append(12, EventKind.CREATED, 0, 1, 500, 1);
        BitSet expected = new BitSet();
        for (long id = 11; id <= 13; id++) {
            expected.set(LatencyLog.bit(10, id, EventKind.CREATED));
        }

        assertThat(log.deliveredAmong(expected)).isEqualTo(1);
    }

    @Test
    void ids_below_the_first_or_unreadable_keys_are_recorded_but_not_deduplicated() {
        LatencyLog log = new LatencyLog(50);

        assertThat(log.append(7, EventKind.CREATED, 0, 1, 200, 1).firstDelivery()).isTrue();
        assertThat(log.append(7, EventKind.CREATED, 0, 2, 200, 1).firstDelivery()).isTrue();
        assertThat(log.append(LatencyLog.UNKNOWN_ID, EventKind.UNKNOWN, LatencyLog.UNKNOWN_TIME, 3, 200, 0).idempotencyKey()).isEqualTo("?");
        assertThat(LatencyLog.bit(50, 7, EventKind.CREATED)).isEqualTo(-1);
        assertThat(LatencyLog.bit(50, 51, EventKind.CONFIRMED)).isEqualTo(3);
    }
}
