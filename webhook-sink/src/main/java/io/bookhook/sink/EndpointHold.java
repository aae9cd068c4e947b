package io.bookhook.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a 410 Gone means here: the receiver paused or removed the endpoint. The delivery that got it is recorded
 * failed (retryable later), and every lane holds its next attempt until the hold ends instead of hammering an
 * endpoint that said it is gone; their partitions are paused meanwhile, so nothing is consumed, lost or failed.
 */
final class EndpointHold {

    private final Clock clock;
    private final Duration length;
    private volatile Instant until = Instant.MIN;

    EndpointHold(Clock clock, Duration length) {
        this.clock = clock;
        this.length = length;
    }

    void gone() {
        until = clock.instant().plus(length);
    }

    Duration length() {
        return length;
    }

    /** How long to wait before posting; zero when not held. */
    Duration remaining() {
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
