package io.bookhook.mockreceiver;

import com.sun.net.httpserver.HttpServer;
import io.bookhook.schemas.signing.MakeSignature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bookhook mock-receiver}: a local stand-in for a Make.com scenario. It checks
 * {@code X-Make-Signature} and, when given standard secrets, the Standard Webhooks headers
 * (see {@link SignatureCheck}), prints one line per request, records what it got, and can be told to
 * fail or stall so the sink's retries can be watched. Accepts {@code POST} on any path.
 */
public final class MockReceiver implements AutoCloseable {

    static {
        // Read once, when the JDK server classes first load: without it every answer waits ~40 ms
        // for Nagle plus delayed ACK (22 requests/s on loopback, measured).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server keeps at most 200 idle keep-alive connections and closes the rest after each answer: a sender
        // with hundreds in flight would reconnect for most requests (measured: 4x fewer requests/s at 500 in flight).
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    private static final String PATH = "/webhook";

    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultPlan faults;
    private final RequestLog log;
    private final URI url;

    private final ScheduledExecutorService timer;

    private MockReceiver(HttpServer server, ExecutorService executor, ScheduledExecutorService timer, FaultPlan faults, RequestLog log) {
        this.server = server;
        this.executor = executor;
        this.timer = timer;
        this.faults = faults;
        this.log = log;
        this.url = urlOf(server.getAddress());
    }

    public static MockReceiver start(MockReceiverConfig config, PrintStream out) {
        FaultPlan faults = new FaultPlan(config.failFirst(), config.failStatus(), config.stall());
        RequestLog log = new RequestLog();
        Clock clock = Clock.systemUTC();
        SignatureCheck signatures = new SignatureCheck(new MakeSignature(config.secret()), config.parsedStandardSecrets(),
                clock, StandardWebhookVerifier.DEFAULT_TOLERANCE);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads());
        ReceiverHandler handler = new ReceiverHandler(signatures, faults, log, out, clock, timer);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            timer.shutdownNow();
            throw new UncheckedIOException("mock receiver cannot listen on " + config.host() + ":" + config.port(), e);
        }
        // The default executor is one thread: one stalled request would hold up every other sender.
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new MockReceiver(server, executor, timer, faults, log);
    }

    /** Where to point the sink: {@code http://127.0.0.1:<port>/webhook} (any path is accepted). */
    public URI url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answer {@code status} to the next {@code count} validly signed requests, replacing any pending plan. */
    public void failNext(int count, int status) {
        faults.failNext(count, status);
    }

    /** Wait this long before answering each request from now on (no thread is held meanwhile); {@link Duration#ZERO} to stop stalling. */
    public void stallFor(Duration stall) {
        faults.stallFor(stall);
    }

    /** Requests answered so far, oldest first (the most recent {@value RequestLog#MAX_KEPT}). */
    public List<ReceivedRequest> received() {
        return log.snapshot();
    }

    /** Validly signed requests answered 2xx. */
    public int deliveredCount() {
        return log.deliveredCount();
    }

    /** Waits until at least {@code count} deliveries arrived; false if {@code timeout} ran out first. */
    public boolean awaitDelivered(int count, Duration timeout) throws InterruptedException {
        return log.awaitDelivered(count, timeout);
    }

    /** Stops at once; requests still stalling get no answer. */
    @Override
    public void close() {
        timer.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MockReceiver[" + url + "]";
    }

    private static URI urlOf(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        try {
            return new URI("http", null, host, bound.getPort(), PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected bound address " + bound, e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "mock-receiver-" + number.incrementAndGet());
            // A forgotten close() in a test or demo must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }
}
