package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPlanTest {

    private static final AttemptResult SERVER_ERROR = new AttemptResult(503, null, null, Verdict.RETRYABLE, null);
    private static final RetrySchedule NO_JITTER = new RetrySchedule(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 5,
            0.0, Duration.ofMinutes(2));

    @Test
    void multiplies_the_wait_after_each_retryable_attempt_until_attempts_run_out() {
        RetryPlan plan = new RetryPlan(NO_JITTER);

        assertThat(plan.next(1, SERVER_ERROR)).contains(Duration.ofSeconds(1));
        assertThat(plan.next(2, SERVER_ERROR)).contains(Duration.ofSeconds(2));
        assertThat(plan.next(3, SERVER_ERROR)).contains(Duration.ofSeconds(4));
        assertThat(plan.next(4, SERVER_ERROR)).contains(Duration.ofSeconds(8));
        assertThat(plan.next(5, SERVER_ERROR)).as("after the 5th attempt").isEmpty();
    }

    @Test
    void never_retries_a_delivered_or_failed_attempt() {
        RetryPlan plan = new RetryPlan(NO_JITTER);

        assertThat(plan.next(1, new AttemptResult(200, null, null, Verdict.DELIVERED, null))).isEmpty();
        assertThat(plan.next(1, new AttemptResult(400, null, null, Verdict.FAILED, null))).isEmpty();
    }

    @Test
    void the_wait_depends_only_on_the_attempts_made_so_a_resumed_schedule_continues_where_it_was() {
        RetryPlan before = new RetryPlan(NO_JITTER);
        RetryPlan afterRestart = new RetryPlan(NO_JITTER);

        assertThat(afterRestart.next(3, SERVER_ERROR)).isEqualTo(before.next(3, SERVER_ERROR)).contains(Duration.ofSeconds(4));
        assertThat(afterRestart.next(5, SERVER_ERROR)).as("the 5th attempt is the last, restart or not").isEmpty();
    }

    @Test
    void waits_at_least_retry_after_but_no_longer_than_its_clamp() {
        RetryPlan plan = new RetryPlan(NO_JITTER);

        assertThat(plan.next(1, tooManyRequests(Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(plan.next(1, tooManyRequests(Duration.ofMillis(10)))).as("shorter than the backoff").contains(Duration.ofSeconds(1));
        assertThat(plan.next(1, tooManyRequests(Duration.ofHours(5)))).as("clamped").contains(Duration.ofMinutes(2));
    }

    @Test
    void caps_exponential_growth() {
        RetryPlan plan = new RetryPlan(NO_JITTER.withMaxAttempts(100));
        Optional<Duration> wait = Optional.empty();
        for (int attempt = 1; attempt <= 30; attempt++) {
            wait = plan.next(attempt, AttemptResult.noResponse("connection refused"));
        }

        assertThat(wait).contains(Duration.ofSeconds(60));
    }

    @Test
    void jitter_spreads_waits_within_its_fraction_and_the_cap() {
        RetrySchedule jittered = NO_JITTER.withJitter(0.5).withMaxAttempts(3);
        List<Duration> seconds = new ArrayList<>();
        RetryPlan plan = new RetryPlan(jittered);
        for (int i = 0; i < 200; i++) {
            seconds.add(plan.next(2, SERVER_ERROR).orElseThrow());
        }

        assertThat(seconds).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        assertThat(seconds.stream().distinct().count()).as("distinct waits").isGreaterThan(20);
    }

    @Test
    void the_default_schedule_outlasts_a_receiver_that_is_down_for_an_hour() {
        RetrySchedule schedule = RetrySchedule.DEFAULT;
        RetryPlan plan = new RetryPlan(schedule.withJitter(0.0));
        Duration total = Duration.ZERO;
        int attempts = 1;
        for (Optional<Duration> wait; (wait = plan.next(attempts, SERVER_ERROR)).isPresent(); attempts++) {
            total = total.plus(wait.get());
        }

        // Even with every wait shortened by the full jitter, the retries span more than an hour.
        assertThat(total.multipliedBy(8).dividedBy(10)).isGreaterThan(Duration.ofHours(1));
        assertThat(total).isLessThan(Duration.ofHours(2));
    }

    private static AttemptResult tooManyRequests(Duration retryAfter) {
        return new AttemptResult(429, null, null, Verdict.RETRYABLE, retryAfter);
    }
}
