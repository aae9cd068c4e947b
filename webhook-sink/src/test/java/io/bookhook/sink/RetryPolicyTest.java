package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void doubles_the_wait_after_each_retryable_attempt_until_attempts_run_out() {
        AttemptResult serverError = new AttemptResult(503, null, null, Verdict.RETRYABLE, null);

        assertThat(policy.delayAfter(1, serverError)).contains(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2, serverError)).contains(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(3, serverError)).contains(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(4, serverError)).contains(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(5, serverError)).isEmpty();
    }

    @Test
    void never_retries_a_delivered_or_failed_attempt() {
        assertThat(policy.delayAfter(1, new AttemptResult(200, null, null, Verdict.DELIVERED, null))).isEmpty();
        assertThat(policy.delayAfter(1, new AttemptResult(400, null, null, Verdict.FAILED, null))).isEmpty();
    }

    @Test
    void honours_a_longer_retry_after_up_to_the_cap() {
        assertThat(policy.delayAfter(1, tooManyRequests(Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(policy.delayAfter(4, tooManyRequests(Duration.ofSeconds(3)))).contains(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(1, tooManyRequests(Duration.ofHours(1)))).contains(Duration.ofSeconds(60));
    }

    @Test
    void caps_exponential_growth() {
        RetryPolicy many = new RetryPolicy(100, Duration.ofSeconds(1), Duration.ofSeconds(60));

        assertThat(many.delayAfter(7, AttemptResult.noResponse("connection refused"))).contains(Duration.ofSeconds(60));
        assertThat(many.delayAfter(99, AttemptResult.noResponse("connection refused"))).isEqualTo(Optional.of(Duration.ofSeconds(60)));
    }

    private static AttemptResult tooManyRequests(Duration retryAfter) {
        return new AttemptResult(429, null, null, Verdict.RETRYABLE, retryAfter);
    }
}
