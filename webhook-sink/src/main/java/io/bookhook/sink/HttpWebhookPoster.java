package io.bookhook.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Signs and posts with OkHttp. Each attempt ends by {@code deadline} whatever the receiver does (the client's
 * call timeout spans connect, request, headers and body), and at most {@link #MAX_RESPONSE_BYTES} of the body
 * are read: the rest is dropped with the connection.
 */
final class HttpWebhookPoster implements WebhookPoster {

    static final int MAX_RESPONSE_BYTES = 4 * 1024;
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;
    private final RequestSigning signing;
    private final ResponseClassifier classifier;
    private final Duration deadline;
    /** Parsed once per target: parsing (host canonicalisation included) showed up in every attempt's profile. */
    private final Map<URI, HttpUrl> urls = new ConcurrentHashMap<>();

    HttpWebhookPoster(OkHttpClient client, RequestSigning signing, ResponseClassifier classifier, Duration deadline) {
        this.client = client;
        this.signing = signing;
        this.classifier = classifier;
        this.deadline = deadline;
    }

    @Override
    public AttemptResult post(WebhookRequest request) {
        Call call = client.newCall(toHttp(request));
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            return ResponseClassifier.failure(e, deadline);
        }
        try (response) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            String bodyError = readAtMost(response.body().byteStream(), kept);
            // The status decides: a 2xx whose body then stalls was still accepted, and retrying it would only
            // hand the receiver a duplicate.
            AttemptResult result = classifier.response(response.code(), response.header("Retry-After"), excerpt(kept));
            return bodyError == null ? result : result.withError(bodyError);
        }
    }

    /** Null when the body (or its first bytes) was read; otherwise why reading stopped. */
    private String readAtMost(InputStream body, ByteArrayOutputStream kept) {
        byte[] chunk = new byte[1024];
        try {
            while (kept.size() < MAX_RESPONSE_BYTES) {
                int read = body.read(chunk, 0, Math.min(chunk.length, MAX_RESPONSE_BYTES - kept.size()));
                if (read < 0) {
                    break;
                }
                kept.write(chunk, 0, read);
            }
            return null;
        } catch (IOException e) {
            return "response body cut off: " + ResponseClassifier.describe(e, deadline);
        }
    }

    private Request toHttp(WebhookRequest request) {
        Request.Builder http = new Request.Builder()
                .url(urls.computeIfAbsent(request.target(), target -> HttpUrl.get(target.toString())))
                .header("X-Idempotency-Key", request.idempotencyKey().toString())
                .header("X-Event-Type", request.idempotencyKey().eventType().wireName())
                .header("X-Delivery-Id", request.deliveryId())
                .header("X-Delivery-Attempt", Integer.toString(request.attempt()))
                .header("User-Agent", "bookhook-webhook-sink")
                .post(RequestBody.create(request.body(), JSON));
        signing.sign(http, request);
        return http.build();
    }

    private static String excerpt(ByteArrayOutputStream kept) {
        return kept.size() == 0 ? null : kept.toString(UTF_8);
    }

    /** Idle pooled connections are closed; calls in flight finish on their own deadline. The client may be shared. */
    @Override
    public void close() {
        client.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "HttpWebhookPoster[deadline=" + deadline + "]";
    }
}
