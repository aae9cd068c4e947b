package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryAttemptsTest {

    private static final WebhookRequest FIRST = new WebhookRequest(URI.create("https://example.com/hook"),
            "{}".getBytes(UTF_8), IdempotencyKey.of(1, EventType.CREATED), "d-1", 1);
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 4,
            0.0, Duration.ofMinutes(5));

    private final List<WebhookRequest> posted = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> retrying = new ArrayList<>();
    private final EndpointHold hold = new EndpointHold(Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC),
            Duration.ofMinutes(5));

    @Test
    void retries_retryable_results_with_growing_pauses_until_delivered() throws Exception {
        DeliveryOutcome outcome = deliver(status(503), AttemptResult.noResponse("connection refused"), status(200));

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(posted).extracting(WebhookRequest::attempt).containsExactly(1, 2, 3);
        assertThat(posted).extracting(WebhookRequest::deliveryId).containsOnly("d-1");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(retrying).containsExactly("1:HTTP 503:PT1S", "2:connection refused:PT2S");
    }

    @Test
    void stops_at_the_first_final_failure() throws Exception {
        DeliveryOutcome outcome = deliver(status(400), status(200));

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.last().statusCode()).isEqualTo(400);
        assertThat(pauses).isEmpty();
    }

    @Test
    void gives_up_after_the_last_attempt_with_its_result() throws Exception {
        DeliveryOutcome outcome = deliver(status(500), status(502), status(503), status(504), status(200));

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(outcome.last().statusCode()).isEqualTo(504);
    }

    @Test
    void a_gone_endpoint_fails_the_delivery_and_holds_the_next_one() throws Exception {
        DeliveryOutcome gone = deliver(status(410), status(200));

        assertThat(gone.delivered()).isFalse();
        assertThat(gone.attempts()).isEqualTo(1);
        assertThat(gone.last().error()).startsWith("endpoint gone (410)");
        assertThat(hold.remaining()).isEqualTo(Duration.ofMinutes(5));

        DeliveryAttempts closing = new DeliveryAttempts(scripted(status(200)), new RetryDecisions(SCHEDULE), hold);
        assertThatThrownBy(() -> closing.deliver(FIRST, (a, r, w) -> { }, duration -> {
            pauses.add(duration);
            throw new DeliveryAbandoned();
        })).isInstanceOf(DeliveryAbandoned.class);
        assertThat(pauses).containsExactly(Duration.ofMinutes(5));
        assertThat(posted).hasSize(1);
    }

    @Test
    void a_pause_cut_short_by_stopping_abandons_the_delivery() {
        DeliveryAttempts attempts = new DeliveryAttempts(scripted(status(503)), new RetryDecisions(SCHEDULE), hold);

        assertThatThrownBy(() -> attempts.deliver(FIRST, (a, r, w) -> { }, duration -> {
            throw new DeliveryAbandoned();
        })).isInstanceOf(DeliveryAbandoned.class);
    }

    private DeliveryOutcome deliver(AttemptResult... results) throws DeliveryAbandoned {
        return new DeliveryAttempts(scripted(results), new RetryDecisions(SCHEDULE), hold)
                .deliver(FIRST, (attempt, result, wait) -> retrying.add(attempt + ":" + result.describe() + ":" + wait), pauses::add);
    }

    private WebhookPoster scripted(AttemptResult... results) {
        Deque<AttemptResult> left = new ArrayDeque<>(List.of(results));
        return request -> {
            posted.add(request);
            return left.size() > 1 ? left.removeFirst() : left.getFirst();
        };
    }

    private static AttemptResult status(int code) {
        return new ResponseClassifier(Clock.systemUTC()).response(code, null, null);
    }
}
