package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDecisionsTest {

    private static final AttemptResult SERVER_ERROR = new AttemptResult(503, null, null, Verdict.RETRYABLE, null);
    private static final RetrySchedule NO_JITTER = new RetrySchedule(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 5,
            0.0, Duration.ofMinutes(2));

    @Test
    void multiplies_the_wait_after_each_retryable_attempt_until_attempts_run_out() {
        RetryDecisions.Delivery delivery = new RetryDecisions(NO_JITTER).start();

        assertThat(delivery.after(SERVER_ERROR)).contains(Duration.ofSeconds(1));
        assertThat(delivery.after(SERVER_ERROR)).contains(Duration.ofSeconds(2));
        assertThat(delivery.after(SERVER_ERROR)).contains(Duration.ofSeconds(4));
        assertThat(delivery.after(SERVER_ERROR)).contains(Duration.ofSeconds(8));
        assertThat(delivery.after(SERVER_ERROR)).as("after the 5th attempt").isEmpty();
    }

    @Test
    void never_retries_a_delivered_or_failed_attempt() {
        RetryDecisions decisions = new RetryDecisions(NO_JITTER);

        assertThat(decisions.start().after(new AttemptResult(200, null, null, Verdict.DELIVERED, null))).isEmpty();
        assertThat(decisions.start().after(new AttemptResult(400, null, null, Verdict.FAILED, null))).isEmpty();
    }

    @Test
    void each_delivery_counts_its_own_attempts() {
        RetryDecisions decisions = new RetryDecisions(NO_JITTER.withMaxAttempts(2));
        RetryDecisions.Delivery first = decisions.start();
        RetryDecisions.Delivery second = decisions.start();

        assertThat(first.after(SERVER_ERROR)).isPresent();
        assertThat(second.after(SERVER_ERROR)).isPresent();
        assertThat(first.after(SERVER_ERROR)).isEmpty();
    }

    @Test
    void waits_at_least_retry_after_but_no_longer_than_its_clamp() {
        RetryDecisions decisions = new RetryDecisions(NO_JITTER);

        assertThat(decisions.start().after(tooManyRequests(Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(decisions.start().after(tooManyRequests(Duration.ofMillis(10)))).as("shorter than the backoff")
                .contains(Duration.ofSeconds(1));
        assertThat(decisions.start().after(tooManyRequests(Duration.ofHours(5)))).as("clamped").contains(Duration.ofMinutes(2));
    }

    @Test
    void caps_exponential_growth() {
        RetryDecisions.Delivery delivery = new RetryDecisions(NO_JITTER.withMaxAttempts(100)).start();
        Optional<Duration> wait = Optional.empty();
        for (int attempt = 1; attempt <= 30; attempt++) {
            wait = delivery.after(AttemptResult.noResponse("connection refused"));
        }

        assertThat(wait).contains(Duration.ofSeconds(60));
    }

    @Test
    void jitter_spreads_waits_within_its_fraction_and_the_cap() {
        RetrySchedule jittered = NO_JITTER.withJitter(0.5).withMaxAttempts(3);
        List<Duration> seconds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RetryDecisions.Delivery delivery = new RetryDecisions(jittered).start();
            delivery.after(SERVER_ERROR);
            seconds.add(delivery.after(SERVER_ERROR).orElseThrow());
        }

        assertThat(seconds).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        assertThat(seconds.stream().distinct().count()).as("distinct waits").isGreaterThan(20);
    }

    @Test
    void the_default_schedule_outlasts_a_receiver_that_is_down_for_an_hour() {
        RetrySchedule schedule = RetrySchedule.DEFAULT;
        RetryDecisions.Delivery delivery = new RetryDecisions(schedule.withJitter(0.0)).start();
        Duration total = Duration.ZERO;
        for (Optional<Duration> wait; (wait = delivery.after(SERVER_ERROR)).isPresent(); ) {
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
