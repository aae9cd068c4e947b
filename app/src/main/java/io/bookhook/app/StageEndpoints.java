package io.bookhook.app;

import io.bookhook.runtime.MeterRegistries;
import io.bookhook.runtime.Readiness;
import io.bookhook.runtime.StageServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Starts a stage's health and metrics port ({@code BOOKHOOK_ADMIN_PORT}, default 8080; 0 turns it off) and
 * connects the stage's meters, which register in Micrometer's global registry, to its Prometheus endpoint.
 */
final class StageEndpoints {

    static final String PORT_SETTING = "BOOKHOOK_ADMIN_PORT";
    static final String BIND_SETTING = "BOOKHOOK_ADMIN_BIND";

    private StageEndpoints() {
    }

    /**
     * The running server, or a no-op when the port is 0. A port another process holds (a second stage on the same host
     * with the same default) stops the stage with one line naming the port and the setting.
     */
    static AutoCloseable start(BookhookSettings.StagePort stagePort, Readiness readiness) {
        if (!stagePort.enabled()) {
            return () -> { };
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheusWithJvmMeters();
        Metrics.addRegistry(registry);
        StageServer server;
        try {
            server = StageServer.start(new InetSocketAddress(stagePort.bind(), stagePort.port()), readiness, registry);
        } catch (UncheckedIOException e) {
            Metrics.removeRegistry(registry);
            throw cannotListen(stagePort, e.getCause());
        }
        return () -> {
            server.close();
            Metrics.removeRegistry(registry);
        };
    }

    private static PreflightException cannotListen(BookhookSettings.StagePort stagePort, java.io.IOException cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof BindException && message.toLowerCase(Locale.ROOT).contains("in use")) {
            return new PreflightException("port " + stagePort.port() + " on " + stagePort.bind() + " is already in use (" + PORT_SETTING
                    + "): give each stage on this host its own " + PORT_SETTING + ", or 0 to turn its health and metrics port off", cause);
        }
        return new PreflightException("cannot listen on " + stagePort.bind() + ":" + stagePort.port() + " (" + PORT_SETTING + ", "
                + BIND_SETTING + "): " + message, cause);
    }
}
