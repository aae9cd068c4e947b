package io.bookhook.mockreceiver;

import java.time.Duration;
import java.util.Objects;

/** The failures and delay {@link MockReceiver} has been told to produce; changeable while it runs. */
final class FaultPlan {

    static final int OK = 200;

    private int failuresLeft;
    private int failStatus;
    private volatile Duration stall;

    FaultPlan(int failFirst, int failStatus, Duration stall) {
        this.failuresLeft = failFirst;
        this.failStatus = failStatus;
        this.stall = stall;
    }

    /** Replaces any failures still pending, so a test states the whole plan in one call. */
    synchronized void failNext(int count, int status) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        requireFailureStatus(status);
        failuresLeft = count;
        failStatus = status;
    }

    /** Consumes one planned failure if any is left; otherwise the request succeeds. */
    synchronized int answerForValidRequest() {
        if (failuresLeft > 0) {
            failuresLeft--;
            return failStatus;
        }
        return OK;
    }

    void stallFor(Duration duration) {
        stall = requireStall(duration);
    }

    Duration stall() {
        return stall;
    }

    // 1xx would break the exchange and 2xx is not a failure; 3xx stays allowed to test redirect handling.
    static int requireFailureStatus(int status) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("failure status must be 300–599, was " + status);
        }
        return status;
    }

    static Duration requireStall(Duration stall) {
        Objects.requireNonNull(stall, "stall");
        if (stall.isNegative()) {
            throw new IllegalArgumentException("stall must not be negative, was " + stall);
        }
        return stall;
    }
}
