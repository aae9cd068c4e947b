package io.bookhook.app;

import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.runtime.MeterRegistries;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;

/** The admin page of the demo, on a free loopback port and without a token, showing the metrics of every stage in the process. */
final class DemoAdmin implements AutoCloseable {

    private final AdminProcess admin;
    private final PrometheusMeterRegistry registry;

    private DemoAdmin(AdminProcess admin, PrometheusMeterRegistry registry) {
        this.admin = admin;
        this.registry = registry;
    }

    static DemoAdmin start(BookhookSettings settings) {
        PrometheusMeterRegistry registry = MeterRegistries.prometheusWithJvmMeters();
        // The stages of the demo register their meters in Micrometer's global registry: its /metrics shows them all.
        Metrics.addRegistry(registry);
        try {
            // No token: it is on loopback, for whoever runs the demo on this machine.
            return new DemoAdmin(AdminProcess.start(settings, new InetSocketAddress("127.0.0.1", 0), AdminAccess.open(), registry), registry);
        } catch (RuntimeException | Error e) {
            Metrics.removeRegistry(registry);
            throw e;
        }
    }

    URI uri() {
        return admin.uri();
    }

    @Override
    public void close() {
        try {
            admin.close();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }
}
