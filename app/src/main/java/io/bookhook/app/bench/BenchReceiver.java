package io.bookhook.app.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.app.bench.LatencyLog.EventKind;
import io.bookhook.schemas.signing.MakeSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bench's own webhook receiver on loopback: checks {@code X-Make-Signature}, reads {@code occurred_at},
 * {@code X-Idempotency-Key} and {@code X-Delivery-Attempt}, answers after {@code latency} (from a timer, holding no
 * thread meanwhile) with 200, or 500 for a {@code failureRate} fraction of requests, 401 for a bad signature, and
 * records each answer in a {@link LatencyLog} as it sends it. Requests to {@code /raw} get the same checks but are only
 * counted: they are the raw HTTP ceiling's, not webhooks.
 */
public final class BenchReceiver implements AutoCloseable {

    static {
        // Read once, when the JDK server classes load: without nodelay every answer waits ~40 ms (Nagle plus delayed
        // ACK); with the default 200 idle connections, a sender with more in flight reconnects for most requests.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    private static final String WEBHOOK_PATH = "/webhook";
    private static final String RAW_PATH = "/raw";
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final MakeSignature signature;
    private final LatencyLog log;
    private final AtomicLong rawAnswered = new AtomicLong();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicReference<byte[]> sampleBody = new AtomicReference<>();
    private volatile long latencyNanos;
    private volatile double failureRate;

    private BenchReceiver(MakeSignature signature, LatencyLog log, Duration latency, double failureRate) throws IOException {
        this.signature = signature;
        this.log = log;
        this.latencyNanos = latency.toNanos();
        this.failureRate = failureRate;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("bench-receiver-timer"));
        this.executor = Executors.newCachedThreadPool(daemonThreads("bench-receiver"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Listens on a free loopback port. */
    public static BenchReceiver start(String secret, LatencyLog log, Duration latency, double failureRate) {
        try {
            return new BenchReceiver(new MakeSignature(secret), log, latency, failureRate);
        } catch (IOException e) {
            throw new UncheckedIOException("the bench's receiver cannot listen on loopback", e);
        }
    }

    /** Where the sink posts: {@code http://127.0.0.1:<port>/webhook}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH);
    }

    /** Where the raw HTTP ceiling posts. */
    public URI rawUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + RAW_PATH);
    }

    public void setLatency(Duration latency) {
        this.latencyNanos = latency.toNanos();
    }

    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    public void setFailureRate(double failureRate) {
        this.failureRate = failureRate;
    }

    public double failureRate() {
        return failureRate;
    }

    public LatencyLog log() {
        return log;
    }

    /** 2xx answers to {@code /raw} so far. */
    public long rawAnswered() {
        return rawAnswered.get();
    }

    /** Requests refused for their signature (the sink fails those at once: they show as missing). */
    public int badSignatures() {
        return badSignatures.get();
    }

    /** The body of the first webhook delivered, for the raw ceiling to post again; the only body ever kept. */
    public Optional<byte[]> sampleBody() {
        return Optional.ofNullable(sampleBody.get());
    }

    public MakeSignature signature() {
        return signature;
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean raw = exchange.getRequestURI().getPath().startsWith(RAW_PATH);
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (!"POST".equals(exchange.getRequestMethod()) || body.length > MAX_BODY_BYTES) {
            exchange.sendResponseHeaders(body.length > MAX_BODY_BYTES ? 413 : 405, -1);
            exchange.close();
            return;
        }
        boolean signed = signature.verify(body, exchange.getRequestHeaders().getFirst(MakeSignature.HEADER));
        long occurredAt = WebhookFields.occurredAt(body);
        String key = exchange.getRequestHeaders().getFirst("X-Idempotency-Key");
        long appointmentId = WebhookFields.appointmentId(key);
        EventKind kind = WebhookFields.kind(key);
        int attempt = WebhookFields.attempt(exchange.getRequestHeaders().getFirst("X-Delivery-Attempt"));
        int status = !signed ? 401 : ThreadLocalRandom.current().nextDouble() < failureRate ? 500 : 200;
        if (!signed) {
            badSignatures.incrementAndGet();
        }
        Runnable answer = () -> {
            long answeredAt = System.currentTimeMillis();
            // Recorded before the answer leaves, so whoever has its answer finds it in the log.
            if (raw) {
                if (status == 200) {
                    rawAnswered.incrementAndGet();
                }
            } else {
                log.append(appointmentId, kind, occurredAt, answeredAt, status, attempt);
                if (status == 200) {
                    sampleBody.compareAndSet(null, body);
                }
            }
            try (exchange) {
                exchange.sendResponseHeaders(status, -1);
            } catch (IOException senderGone) {
                // The sender gave up on this request; it retries on its own schedule.
            }
        };
        long delay = latencyNanos;
        if (delay == 0) {
            answer.run();
            return;
        }
        try {
            timer.schedule(answer, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            exchange.close();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
