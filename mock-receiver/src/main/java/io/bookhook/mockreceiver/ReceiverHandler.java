package io.bookhook.mockreceiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Checks one request's signature, applies the fault plan, records it, prints it and answers. */
final class ReceiverHandler implements HttpHandler {

    static final int MAX_BODY_BYTES = 1 << 20;

    private static final byte[] NO_BODY = new byte[0];

    private final SignatureCheck signatures;
    private final FaultPlan faults;
    private final RequestLog log;
    private final PrintStream out;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    ReceiverHandler(SignatureCheck signatures, FaultPlan faults, RequestLog log, PrintStream out, Clock clock,
                    ScheduledExecutorService timer) {
        this.signatures = signatures;
        this.faults = faults;
        this.log = log;
        this.out = out;
        this.clock = clock;
        this.timer = timer;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Instant at = clock.instant();
        Map<String, String> headers = lowercased(exchange);
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            answer(exchange, new ReceivedRequest(at, headers, NO_BODY, false, 405), refused(405, exchange.getRequestMethod() + " not allowed"));
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY_BYTES);
        if (body == null) {
            answer(exchange, new ReceivedRequest(at, headers, NO_BODY, false, 413), refused(413, "body over 1 MiB"));
            return;
        }
        String problem = signatures.problem(headers, body);
        boolean valid = problem == null;
        int status = valid ? faults.answerForValidRequest() : 401;
        String verdict = valid
                ? (status == FaultPlan.OK ? EventLine.DELIVERED : refused(status, "(told to fail)"))
                : refused(401, problem);
        answer(exchange, new ReceivedRequest(at, headers, body, valid, status), verdict);
    }

    /**
     * Answers at once, or after the stall without holding a thread meanwhile: a receiver told to answer after 200 ms
     * keeps hundreds of requests waiting at the cost of a timer entry each.
     */
    private void answer(HttpExchange exchange, ReceivedRequest request, String verdict) throws IOException {
        Duration stall = faults.stall();
        if (stall.isZero()) {
            respond(exchange, request, verdict);
            return;
        }
        try {
            timer.schedule(() -> {
                try {
                    respond(exchange, request, verdict);
                } catch (IOException sendFailed) {
                    exchange.close();
                }
            }, stall.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // Closed meanwhile: drop the exchange unanswered, as a dying receiver would.
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange, ReceivedRequest request, String verdict) throws IOException {
        try (exchange) {
            // Recorded and printed before the response leaves, so a sender that has its answer can
            // already see the request in received().
            log.add(request);
            out.println(EventLine.describe(verdict, request));
            byte[] reply = (request.answeredStatus() == FaultPlan.OK ? "Accepted" : verdict).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(request.answeredStatus(), reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    private static String refused(int status, String reason) {
        return EventLine.REFUSED + " " + status + " " + reason;
    }

    /** Null when the body exceeds {@code limit}; the unread rest is left for the server to discard. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    private static Map<String, String> lowercased(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            headers.put(header.getKey().toLowerCase(Locale.ROOT), String.join(", ", header.getValue()));
        }
        return headers;
    }
}
