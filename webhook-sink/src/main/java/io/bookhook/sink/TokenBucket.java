package io.bookhook.sink;

import java.time.Instant;

/** An endpoint's optional rate cap: {@code perSecond} tokens a second, at most one second's worth saved up. */
final class TokenBucket {

    private final double perSecond;
    private double tokens;
    private Instant refilled;

    /** {@code perSecond} 0: no cap. */
    TokenBucket(double perSecond, Instant now) {
        this.perSecond = perSecond;
        this.tokens = Math.max(1, perSecond);
        this.refilled = now;
    }

    /** Whether a request may start now; {@link #take} when it does. */
    boolean available(Instant now) {
        if (perSecond <= 0) {
            return true;
        }
        double elapsed = (now.toEpochMilli() - refilled.toEpochMilli()) / 1000.0;
        if (elapsed > 0) {
            tokens = Math.min(Math.max(1, perSecond), tokens + elapsed * perSecond);
            refilled = now;
        }
        return tokens >= 1;
    }

    void take() {
        if (perSecond > 0) {
            tokens -= 1;
        }
    }
}
