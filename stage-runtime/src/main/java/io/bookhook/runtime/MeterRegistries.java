package io.bookhook.runtime;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The one Prometheus set-up every process serves on {@code /metrics}: its own meters and the JVM's. */
public final class MeterRegistries {

    private MeterRegistries() {
    }

    /** A new Prometheus registry with the JVM meters the README lists (memory and uptime). */
    public static PrometheusMeterRegistry prometheusWithJvmMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
