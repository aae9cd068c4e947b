package io.bookhook.sink;

import io.bookhook.sink.signing.MakeSignature;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Makes one signed delivery attempt. Never throws for what the receiver or the network did: that is the result. */
public interface WebhookPoster {

    AttemptResult post(WebhookRequest request);

    /**
     * Posts with {@code client}, bounding each whole exchange (headers and body) by {@code deadline}.
     * Build the client with {@link #httpClient(Duration)} unless you have reasons not to.
     */
    static WebhookPoster overHttp(HttpClient client, MakeSignature signature, Duration deadline) {
        return new HttpWebhookPoster(client, signature, new ResponseClassifier(Clock.systemUTC()), deadline);
    }

    /**
     * HTTP/1.1, because the JDK's default would add an h2c upgrade to plain-http requests, which some receivers
     * mishandle; redirects are never followed, so a receiver cannot bounce the signed body elsewhere.
     */
    static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }
}
