package io.bookhook.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /health/live} (the process answers), {@code /health/ready} (the stage can do its work: for the admin,
 * the ledger view has caught up, so answers are not stale) and {@code /metrics} in the Prometheus text format.
 */
public final class HealthAndMetrics {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Readiness readiness;
    private final PrometheusMeterRegistry registry;

    public HealthAndMetrics(Readiness readiness, PrometheusMeterRegistry registry) {
        this.readiness = readiness;
        this.registry = registry;
    }

    public void live(HttpExchange exchange) throws IOException {
        Exchanges.json(exchange, 200, Map.of("status", "up"));
    }

    public void ready(HttpExchange exchange) throws IOException {
        if (readiness.ready()) {
            Exchanges.json(exchange, 200, Map.of("status", "ready"));
        } else {
            Exchanges.json(exchange, 503, Map.of("status", "not ready", "waiting_for", readiness.waitingFor()));
        }
    }

    public void metrics(HttpExchange exchange) throws IOException {
        Exchanges.send(exchange, 200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
