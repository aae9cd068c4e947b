package io.bookhook.app;

import static io.bookhook.app.OperatorFixture.delivery;
import static io.bookhook.app.OperatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveriesCommandIT {

    private final OperatorFixture ops = new OperatorFixture();

    @Test
    void should_list_the_ledger_filtered_by_status_and_appointment() {
        ops.writeLedger(delivery("aaaaaaaa-1", "42", EventType.CREATED, DeliveryStatus.DELIVERED),
                delivery("bbbbbbbb-2", "42", EventType.CONFIRMED, DeliveryStatus.FAILED),
                delivery("cccccccc-3", "7", EventType.CREATED, DeliveryStatus.FAILED));

        OperatorFixture.Run failedOf42 = run(new DeliveriesCommand(ops.environment), "--status", "failed", "--appointment", "42");

        assertThat(failedOf42.exitCode()).isZero();
        assertThat(failedOf42.out()).contains("bbbbbbbb", "appointment:42:confirmed", "failed", "503").doesNotContain("aaaaaaaa", "cccccccc")
                .endsWith("1 delivery" + System.lineSeparator());
        assertThat(run(new DeliveriesCommand(ops.environment)).out()).contains("aaaaaaaa", "bbbbbbbb", "cccccccc", "3 deliveries");
        assertThat(run(new DeliveriesCommand(ops.environment), "--appointment", "99").out()).isEqualTo("no deliveries match --appointment 99"
                + System.lineSeparator());
    }

    @Test
    void should_show_only_the_newest_deliveries_up_to_the_limit_and_say_how_many_match() {
        Instant t0 = Instant.parse("2026-11-27T09:00:00Z");
        DeliveryRecord[] five = new DeliveryRecord[5];
        for (int i = 0; i < five.length; i++) {
            five[i] = delivery("dddddd0" + i + "-x", Integer.toString(60 + i), EventType.CREATED, DeliveryStatus.DELIVERED)
                    .next(DeliveryStatus.DELIVERED, 1, 200, null, null, t0.plusSeconds(i));
        }
        ops.writeLedger(five);

        OperatorFixture.Run newestTwo = run(new DeliveriesCommand(ops.environment), "--limit", "2");

        assertThat(newestTwo.exitCode()).isZero();
        assertThat(newestTwo.out()).contains("dddddd04", "dddddd03").doesNotContain("dddddd02", "dddddd01", "dddddd00")
                .endsWith("showing the newest 2 of 5 deliveries; --limit to see more" + System.lineSeparator());
        assertThat(newestTwo.out().indexOf("dddddd04")).as("newest first").isLessThan(newestTwo.out().indexOf("dddddd03"));
        assertThat(run(new DeliveriesCommand(ops.environment), "--limit", "5").out()).contains("dddddd00")
                .endsWith("5 deliveries" + System.lineSeparator());
        assertThat(run(new DeliveriesCommand(ops.environment), "--limit", "1", "--appointment", "62").out())
                .endsWith("1 delivery" + System.lineSeparator());
    }

    @Test
    void should_refuse_a_limit_out_of_range_or_not_a_number_as_a_usage_error() {
        for (String bad : new String[] {"0", "-3", "10001"}) {
            OperatorFixture.Run run = run(new DeliveriesCommand(ops.environment), "--limit", bad);

            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.err()).as(bad).startsWith("--limit must be between 1 and 10000, got " + bad);
            assertThat(run.out()).as(bad).isEmpty();
        }
        OperatorFixture.Run words = run(new DeliveriesCommand(ops.environment), "--limit", "ten");
        assertThat(words.exitCode()).isEqualTo(2);
        assertThat(words.err()).contains("--limit", "'ten'");
    }

    @Test
    void should_refuse_an_unknown_status_as_a_usage_error() {
        OperatorFixture.Run run = run(new DeliveriesCommand(ops.environment), "--status", "lost");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("unknown status 'lost' (expected one of pending, retrying, delivered, failed, skipped)");
    }

    @Test
    void should_say_in_one_line_that_kafka_is_unreachable_within_seconds() {
        long start = System.nanoTime();
        OperatorFixture.Run run = run(new DeliveriesCommand(ops.unreachable()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).matches("bookhook deliveries: Kafka at 127\\.0\\.0\\.1:\\d+ did not answer within 8 s \\(.*\\)\\R");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(15.0);
    }

    @Test
    void should_name_a_missing_setting_and_exit_2() {
        OperatorFixture.Run run = run(new DeliveriesCommand(Map.of()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("bookhook deliveries: BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS is not set" + System.lineSeparator());
    }
}
