package io.bookhook.app;

import io.bookhook.ledger.admin.Readiness;
import io.bookhook.ledger.admin.StageServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;

/**
 * Starts a stage's health and metrics port ({@code BOOKHOOK_ADMIN_PORT}, default 8080; 0 turns it off) and
 * connects the stage's meters, which register in Micrometer's global registry, to its Prometheus endpoint.
 */
final class StageEndpoints {

    private StageEndpoints() {
    }

    /** The running server, or a no-op when the port is 0. */
    static AutoCloseable start(BookhookSettings.StagePort stagePort, Readiness readiness) {
        if (!stagePort.enabled()) {
            return () -> { };
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
        StageServer server = StageServer.start(new InetSocketAddress(stagePort.bind(), stagePort.port()), readiness, registry);
        return () -> {
            server.close();
            Metrics.removeRegistry(registry);
        };
    }
}
