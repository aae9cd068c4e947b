package io.bookhook.app.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The raw HTTP ceiling of a run: JDK {@link HttpClient} POSTs of a signed webhook body the receiver really got, to the
 * same receiver answering at once, with 4 and then 16 requests in flight, each for a fixed time. The rate is what the
 * receiver answered 2xx in that time; the ceiling is the better of the two.
 */
public final class RawCeiling {

    static final int[] IN_FLIGHT = {4, 16};
    private static final Duration WARM_UP = Duration.ofSeconds(1);

    /** One level: requests in flight, what the receiver answered 2xx, over how long. */
    public record Level(int inFlight, long answered, double seconds) {
        public double perSecond() {
            return seconds <= 0 ? 0 : answered / seconds;
        }
    }

    public record Result(List<Level> levels) {
        public double best() {
            return levels.stream().mapToDouble(Level::perSecond).max().orElse(0);
        }

        public Level bestLevel() {
            return levels.stream().max(Comparator.comparingDouble(Level::perSecond)).orElseThrow();
        }
    }

    private RawCeiling() {
    }

    /** Sets the receiver to answer at once and never fail while it measures, then puts its latency and failure rate back. */
    public static Result measure(BenchReceiver receiver, byte[] body, Duration each) throws Exception {
        Duration latency = receiver.latency();
        double failureRate = receiver.failureRate();
        receiver.setLatency(Duration.ZERO);
        receiver.setFailureRate(0);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(receiver.rawUrl())
                    .header("Content-Type", "application/json")
                    .header(io.bookhook.schemas.signing.MakeSignature.HEADER, receiver.signature().sign(body))
                    .header("X-Idempotency-Key", "appointment:0:created")
                    .header("X-Delivery-Attempt", "1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            run(client, request, receiver, 8, WARM_UP);
            List<Level> levels = new ArrayList<>();
            for (int inFlight : IN_FLIGHT) {
                levels.add(run(client, request, receiver, inFlight, each));
            }
            return new Result(levels);
        } finally {
            receiver.setLatency(latency);
            receiver.setFailureRate(failureRate);
        }
    }

    private static Level run(HttpClient client, HttpRequest request, BenchReceiver receiver, int inFlight, Duration time)
            throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(inFlight, runnable -> {
            Thread thread = new Thread(runnable, "bench-raw-client");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long before = receiver.rawAnswered();
            long start = System.nanoTime();
            long deadline = start + time.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                workers.add(senders.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        HttpResponse<Void> response;
                        try {
                            response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        } catch (IOException staleConnection) {
                            // The JDK client and server race on keep-alive now and then; the ceiling is not about that.
                            response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        }
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("the receiver answered " + response.statusCode() + " to a raw POST");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Level(inFlight, receiver.rawAnswered() - before, seconds);
        } finally {
            senders.shutdownNow();
        }
    }
}
