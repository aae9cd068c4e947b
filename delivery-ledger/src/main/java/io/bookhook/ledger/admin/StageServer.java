package io.bookhook.ledger.admin;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The small HTTP port every stage process (capture, derive, sink) serves for its orchestrator and Prometheus:
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. Nothing on it changes anything.
 */
public final class StageServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private StageServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static StageServer start(InetSocketAddress address, Readiness readiness, PrometheusMeterRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        HealthAndMetrics health = new HealthAndMetrics(readiness, registry);
        server.createContext("/metrics", health::metrics);
        server.createContext("/health/live", health::live);
        server.createContext("/health/ready", health::ready);
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "bookhook-stage-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new StageServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
