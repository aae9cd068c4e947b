package io.bookhook.sink.mockreceiver;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link MockReceiver} listens and misbehaves.
 *
 * @param host      address to bind, loopback by default
 * @param port      port to bind; 0 picks a free one
 * @param secret    the {@code MAKE_WEBHOOK_SECRET} signatures are checked against
 * @param failFirst answer {@code failStatus} to this many valid requests before succeeding
 * @param failStatus status of those failures (300–599)
 * @param stall     sleep this long before answering any request
 */
public record MockReceiverConfig(String host, int port, String secret, int failFirst, int failStatus, Duration stall) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_FAIL_STATUS = 500;

    public MockReceiverConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0–65535, was " + port);
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (failFirst < 0) {
            throw new IllegalArgumentException("failFirst must be >= 0, was " + failFirst);
        }
        FaultPlan.requireFailureStatus(failStatus);
        FaultPlan.requireStall(stall);
    }

    /** Loopback, a free port, no failures, no stall. */
    public static MockReceiverConfig defaults(String secret) {
        return new MockReceiverConfig(DEFAULT_HOST, 0, secret, 0, DEFAULT_FAIL_STATUS, Duration.ZERO);
    }

    public MockReceiverConfig withHost(String newHost) {
        return new MockReceiverConfig(newHost, port, secret, failFirst, failStatus, stall);
    }

    public MockReceiverConfig withPort(int newPort) {
        return new MockReceiverConfig(host, newPort, secret, failFirst, failStatus, stall);
    }

    public MockReceiverConfig withFailFirst(int count, int status) {
        return new MockReceiverConfig(host, port, secret, count, status, stall);
    }

    public MockReceiverConfig withStall(Duration newStall) {
        return new MockReceiverConfig(host, port, secret, failFirst, failStatus, newStall);
    }

    /** The generated record toString would print the secret. */
    @Override
    public String toString() {
        return "MockReceiverConfig[host=" + host + ", port=" + port + ", secret=***, failFirst=" + failFirst
                + ", failStatus=" + failStatus + ", stall=" + stall + "]";
    }
}
