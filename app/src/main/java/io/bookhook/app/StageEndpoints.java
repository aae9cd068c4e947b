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

    static final int DEFAULT_PORT = 8080;

    private StageEndpoints() {
    }

    /** The running server, or a no-op when the port is 0. */
    static AutoCloseable start(BookhookSettings settings, Readiness readiness) {
        int port = settings.env().integer("BOOKHOOK_ADMIN_PORT", DEFAULT_PORT, 0, 65535);
        if (port == 0) {
            return () -> { };
        }
        String bind = settings.env().string("BOOKHOOK_ADMIN_BIND", "0.0.0.0");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
        StageServer server = StageServer.start(new InetSocketAddress(bind, port), readiness, registry);
        return () -> {
            server.close();
            Metrics.removeRegistry(registry);
        };
    }
}
