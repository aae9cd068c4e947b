package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One receiver the sink posts to, as the engine uses it. Its name is part of every delivery id; its poster signs as
 * the endpoint's scheme and secrets say; at most {@code maxInFlight} of its requests are in flight at once, at most
 * {@code ratePerSecond} start per second (0: no cap); it receives the events its filter accepts.
 */
public record Endpoint(String name, URI url, int maxInFlight, WebhookPoster poster, EventFilter filter, double ratePerSecond) {

    /** The endpoint made from the seed's settings ({@code MAKE_WEBHOOK_URL}) when no endpoints file is given. */
    public static final String DEFAULT_NAME = DeliveryRecord.SEED_ENDPOINT;

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");

    /** The endpoints the settings name, each posting over {@code client} with the sink's request deadline. */
    static List<Endpoint> configured(SinkSettings settings, okhttp3.OkHttpClient client, Clock clock) {
        return settings.endpoints().stream().map(endpoint -> new Endpoint(endpoint.name(), endpoint.url(), endpoint.maxInFlight(),
                WebhookPoster.overHttp(endpoint, client, settings.requestTimeout(), clock),
                new EventFilter(endpoint.events(), endpoint.salons(), settings.salonIdColumn()), endpoint.ratePerSecond())).toList();
    }

    public Endpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(poster, "poster");
        Objects.requireNonNull(filter, "filter");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("endpoint name must match [a-z0-9-]{1,40}, was '" + name + "'");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight of endpoint " + name + " must be at least 1, was " + maxInFlight);
        }
    }

    /** Every event, no rate cap. */
    public Endpoint(String name, URI url, int maxInFlight, WebhookPoster poster) {
        this(name, url, maxInFlight, poster, EventFilter.ALL, 0);
    }

    /** Scheme, host and port of its URL: what may be shown of it (the path is often a token). */
    public String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "Endpoint[" + name + ", " + target() + "/***, maxInFlight=" + maxInFlight + "]";
    }
}
