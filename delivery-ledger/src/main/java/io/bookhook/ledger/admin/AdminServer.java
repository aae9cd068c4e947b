package io.bookhook.ledger.admin;

import com.sun.net.httpserver.HttpServer;
import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.LedgerView;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin port: the page, the JSON API, {@code /metrics} and the health checks, on the JDK's HTTP server.
 * The server's default executor answers one request at a time, so it gets a small pool; the JVM needs
 * {@code -Dsun.net.httpserver.nodelay=true} (the launcher sets it) or every answer waits ~40 ms for Nagle.
 * The registry comes from outside, so stages running in the same process (the demo) publish on the same port.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static AdminServer start(InetSocketAddress address, LedgerView view, DeliveryActions actions, PrometheusMeterRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        LedgerMetrics.bind(registry, view);
        HealthAndMetrics health = new HealthAndMetrics(new Readiness() {
            @Override
            public boolean ready() {
                return view.isCaughtUp();
            }

            @Override
            public String waitingFor() {
                return view.waitingFor();
            }
        }, registry);
        server.createContext("/", new StaticFiles());
        server.createContext("/api/", new DeliveriesApi(view, actions, registry));
        server.createContext("/metrics", health::metrics);
        server.createContext("/health/live", health::live);
        server.createContext("/health/ready", health::ready);
        ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
        server.setExecutor(executor);
        server.start();
        return new AdminServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, with a loopback host when the server listens on every interface. */
    public URI uri() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1" : server.getAddress().getHostString();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "bookhook-admin-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
