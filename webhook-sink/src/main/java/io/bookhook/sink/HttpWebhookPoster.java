package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bookhook.sink.signing.MakeSignature;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Signs and posts with the JDK client; each attempt ends by {@code deadline}, body included. */
final class HttpWebhookPoster implements WebhookPoster {

    static final int MAX_RESPONSE_BYTES = 4 * 1024;

    private final HttpClient client;
    private final MakeSignature signature;
    private final ResponseClassifier classifier;
    private final Duration deadline;

    HttpWebhookPoster(HttpClient client, MakeSignature signature, ResponseClassifier classifier, Duration deadline) {
        this.client = client;
        this.signature = signature;
        this.classifier = classifier;
        this.deadline = deadline;
    }

    @Override
    public AttemptResult post(WebhookRequest request) {
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(toHttp(request), info -> new BoundedBodySubscriber(MAX_RESPONSE_BYTES));
        try {
            // HttpRequest.timeout covers only the wait for headers on JDK 17: a receiver that sends headers
            // and then stalls mid-body would hold the attempt forever without this outer bound.
            HttpResponse<byte[]> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return classifier.response(response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null), excerpt(response.body()));
        } catch (TimeoutException e) {
            return ResponseClassifier.failure(e, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ResponseClassifier.failure(e, deadline);
        } catch (ExecutionException | CompletionException e) {
            return ResponseClassifier.failure(rootOf(e), deadline);
        } finally {
            // Aborts the exchange (JDK 16+) when it is still running, releasing its connection.
            exchange.cancel(true);
        }
    }

    private HttpRequest toHttp(WebhookRequest request) {
        return HttpRequest.newBuilder(request.target())
                .timeout(deadline)
                .header("Content-Type", "application/json")
                .header(MakeSignature.HEADER, signature.sign(request.body()))
                .header("X-Idempotency-Key", request.idempotencyKey().toString())
                .header("X-Event-Type", request.idempotencyKey().eventType().wireName())
                .header("X-Delivery-Id", request.deliveryId())
                .header("X-Delivery-Attempt", Integer.toString(request.attempt()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build();
    }

    private static String excerpt(byte[] body) {
        return body == null || body.length == 0 ? null : new String(body, UTF_8);
    }

    private static Throwable rootOf(Throwable wrapped) {
        Throwable cause = wrapped;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
