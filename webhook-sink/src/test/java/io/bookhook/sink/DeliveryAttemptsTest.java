package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryAttemptsTest {

    private static final WebhookRequest FIRST = new WebhookRequest(URI.create("https://example.com/hook"),
            "{}".getBytes(UTF_8), IdempotencyKey.of(1, EventType.CREATED), "d-1", 1);
    private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));

    private final List<WebhookRequest> posted = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    @Test
    void retries_retryable_results_with_growing_pauses_until_delivered() throws Exception {
        DeliveryOutcome outcome = attempts(status(503), AttemptResult.noResponse("connection refused"), status(200))
                .deliver(FIRST);

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(posted).extracting(WebhookRequest::attempt).containsExactly(1, 2, 3);
        assertThat(posted).extracting(WebhookRequest::deliveryId).containsOnly("d-1");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void stops_at_the_first_final_failure() throws Exception {
        DeliveryOutcome outcome = attempts(status(400), status(200)).deliver(FIRST);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.last().statusCode()).isEqualTo(400);
        assertThat(pauses).isEmpty();
    }

    @Test
    void gives_up_after_the_last_attempt_with_its_result() throws Exception {
        DeliveryOutcome outcome = attempts(status(500), status(502), status(503), status(504), status(200)).deliver(FIRST);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(outcome.last().statusCode()).isEqualTo(504);
    }

    @Test
    void a_pause_cut_short_by_closing_abandons_the_delivery() {
        DeliveryAttempts closing = new DeliveryAttempts(scripted(status(503)), POLICY, duration -> {
            throw new InterruptedException("sink closing");
        });

        assertThatThrownBy(() -> closing.deliver(FIRST)).isInstanceOf(InterruptedException.class);
    }

    private DeliveryAttempts attempts(AttemptResult... results) {
        return new DeliveryAttempts(scripted(results), POLICY, pauses::add);
    }

    private WebhookPoster scripted(AttemptResult... results) {
        Deque<AttemptResult> left = new ArrayDeque<>(List.of(results));
        return request -> {
            posted.add(request);
            return left.size() > 1 ? left.removeFirst() : left.getFirst();
        };
    }

    private static AttemptResult status(int code) {
        return new ResponseClassifier(java.time.Clock.systemUTC()).response(code, null, null);
    }
}
