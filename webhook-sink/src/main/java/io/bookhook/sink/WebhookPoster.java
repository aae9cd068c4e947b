package io.bookhook.sink;

import io.bookhook.schemas.signing.MakeSignature;
import io.bookhook.schemas.signing.StandardWebhookSigner;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** Makes one signed delivery attempt. Never throws for what the receiver or the network did: that is the result. */
public interface WebhookPoster extends AutoCloseable {

    AttemptResult post(WebhookRequest request);

    @Override
    default void close() {
    }

    /**
     * The poster of one endpoint: signed with its scheme and secrets, one hard deadline per attempt, over {@code client}
     * (shared by every endpoint, so they share its SSRF-checked sockets and connection pool).
     */
    static WebhookPoster overHttp(EndpointSettings endpoint, OkHttpClient client, Duration deadline, Clock clock) {
        StandardWebhookSigner standard = endpoint.signatureMode().standard()
                ? new StandardWebhookSigner(endpoint.parsedStandardSecrets(), clock) : null;
        MakeSignature make = endpoint.signatureMode().make() ? new MakeSignature(endpoint.secret()) : null;
        return new HttpWebhookPoster(client, new RequestSigning(endpoint.signatureMode(), make, standard), new ResponseClassifier(clock),
                deadline);
    }

    /**
     * HTTP/1.1 only (no h2c upgrade surprises), no proxy (it would connect for us, past the address check), no
     * redirects (a receiver must not bounce the signed body elsewhere), no silent re-sends (the retry schedule
     * decides, and records each attempt).
     */
    static OkHttpClient httpClient(SinkSettings settings) {
        return new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .socketFactory(settings.allowPrivateTargets() ? SocketFactory.getDefault() : new PublicOnlySockets())
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.requestTimeout())
                .writeTimeout(settings.requestTimeout())
                .callTimeout(settings.requestTimeout())
                // Up to max in flight requests hold a connection each; the default pool keeps only 5 idle.
                .connectionPool(new ConnectionPool(settings.totalMaxInFlight(), 5, TimeUnit.MINUTES))
                .build();
    }
}
