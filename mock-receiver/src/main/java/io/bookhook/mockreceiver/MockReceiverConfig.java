package io.bookhook.mockreceiver;

import io.bookhook.schemas.signing.WebhookSecret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link MockReceiver} listens and misbehaves.
 *
 * @param host            address to bind, loopback by default
 * @param port            port to bind; 0 picks a free one
 * @param secret          the {@code MAKE_WEBHOOK_SECRET} {@code X-Make-Signature} is checked against
 * @param failFirst       answer {@code failStatus} to this many valid requests before succeeding
 * @param failStatus      status of those failures (300–599)
 * @param stall           sleep this long before answering any request
 * @param standardSecrets Standard Webhooks secrets ({@code whsec_…}) {@code webhook-signature} is checked against;
 *                        empty (the default) leaves Standard Webhooks headers unchecked
 */
public record MockReceiverConfig(String host, int port, String secret, int failFirst, int failStatus, Duration stall,
                                 List<String> standardSecrets) {

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
        standardSecrets = List.copyOf(Objects.requireNonNull(standardSecrets, "standardSecrets"));
        // Checked here so a malformed secret stops the receiver at start; the message names its position only.
        parseStandardSecrets(standardSecrets);
    }

    /** The constructor from before Standard Webhooks: no standard secrets. */
    public MockReceiverConfig(String host, int port, String secret, int failFirst, int failStatus, Duration stall) {
        this(host, port, secret, failFirst, failStatus, stall, List.of());
    }

    /** Loopback, a free port, no failures, no stall, Make signatures only. */
    public static MockReceiverConfig defaults(String secret) {
        return new MockReceiverConfig(DEFAULT_HOST, 0, secret, 0, DEFAULT_FAIL_STATUS, Duration.ZERO);
    }

    public MockReceiverConfig withHost(String newHost) {
        return new MockReceiverConfig(newHost, port, secret, failFirst, failStatus, stall, standardSecrets);
    }

    public MockReceiverConfig withPort(int newPort) {
        return new MockReceiverConfig(host, newPort, secret, failFirst, failStatus, stall, standardSecrets);
    }

    public MockReceiverConfig withFailFirst(int count, int status) {
        return new MockReceiverConfig(host, port, secret, count, status, stall, standardSecrets);
    }

    public MockReceiverConfig withStall(Duration newStall) {
        return new MockReceiverConfig(host, port, secret, failFirst, failStatus, newStall, standardSecrets);
    }

    /** Also check {@code webhook-signature} against these {@code whsec_} secrets (any one matching suffices). */
    public MockReceiverConfig withStandardSecrets(List<String> newStandardSecrets) {
        return new MockReceiverConfig(host, port, secret, failFirst, failStatus, stall, newStandardSecrets);
    }

    List<WebhookSecret> parsedStandardSecrets() {
        return parseStandardSecrets(standardSecrets);
    }

    private static List<WebhookSecret> parseStandardSecrets(List<String> secrets) {
        return java.util.stream.IntStream.range(0, secrets.size())
                .mapToObj(i -> WebhookSecret.parse(secrets.get(i), "standard webhook secret " + (i + 1)))
                .toList();
    }

    /** The generated record toString would print the secrets. */
    @Override
    public String toString() {
        return "MockReceiverConfig[host=" + host + ", port=" + port + ", secret=***, failFirst=" + failFirst
                + ", failStatus=" + failStatus + ", stall=" + stall
                + (standardSecrets.isEmpty() ? "" : ", standardSecrets=" + standardSecrets.size() + " x ***") + "]";
    }
}
