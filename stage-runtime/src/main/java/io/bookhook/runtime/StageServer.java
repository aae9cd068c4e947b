package io.bookhook.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The small HTTP port every stage process (capture, derive, sink) serves for its orchestrator and Prometheus:
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. Nothing on it changes anything.
 */
public final class StageServer implements AutoCloseable {

    private final HttpEndpoints endpoints;

    private StageServer(HttpEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    public static StageServer start(InetSocketAddress address, Readiness readiness, PrometheusMeterRegistry registry) {
        HealthAndMetrics health = new HealthAndMetrics(readiness, registry);
        return new StageServer(HttpEndpoints.start(address, "bookhook-stage-http", 2, Map.of(
                "/metrics", health::metrics,
                "/health/live", health::live,
                "/health/ready", health::ready)));
    }

    public int port() {
        return endpoints.address().getPort();
    }

    @Override
    public void close() {
        endpoints.close();
    }
}
