package io.bookhook.sink;

import io.bookhook.schemas.EventType;
import io.bookhook.schemas.signing.WebhookSecret;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * One endpoint as configured: where to post, how to sign, what it wants, how hard to push it. It comes either from the
 * seed's variables ({@link Origin#SEED}: the one endpoint {@code make} from {@code MAKE_WEBHOOK_URL} and its friends) or
 * from {@code BOOKHOOK_ENDPOINTS_FILE} ({@link Origin#FILE}); every check's message names what to fix in that source.
 *
 * @param secret          the {@code X-Make-Signature} key; may be null when {@code signatureMode} is standard only
 * @param standardSecrets {@code whsec_…} secrets, newest first, for standard/both
 * @param events          event types it receives; empty: all
 * @param salons          salon ids it receives; empty: all
 * @param ratePerSecond   at most this many requests per second; 0: no cap
 */
public record EndpointSettings(Origin origin, String name, URI url, String secret, SignatureMode signatureMode,
                               List<String> standardSecrets, Set<EventType> events, Set<String> salons, int maxInFlight,
                               double ratePerSecond) {

    /** Where an endpoint's settings come from, so an error names the right thing to fix. */
    public enum Origin { SEED, FILE }

    public static final int MAX_MAX_IN_FLIGHT = 10_000;
    public static final double MAX_RATE_PER_SECOND = 100_000;
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Set<String> WEB_SCHEMES = Set.of("http", "https");

    public EndpointSettings {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
        standardSecrets = standardSecrets == null ? List.of() : List.copyOf(standardSecrets);
        events = events == null ? Set.of() : Set.copyOf(events);
        salons = salons == null ? Set.of() : Set.copyOf(salons);
        check(origin, name, url, secret, signatureMode, standardSecrets, maxInFlight, ratePerSecond);
    }

    /** The endpoint made from the seed's settings: every event, no rate cap. */
    public static EndpointSettings seed(URI url, String secret, SignatureMode mode, List<String> standardSecrets, int maxInFlight) {
        return new EndpointSettings(Origin.SEED, Endpoint.DEFAULT_NAME, url, secret, mode, standardSecrets, Set.of(), Set.of(), maxInFlight, 0);
    }

    public EndpointSettings withSignature(SignatureMode mode, List<String> secrets) {
        return new EndpointSettings(origin, name, url, secret, mode, secrets, events, salons, maxInFlight, ratePerSecond);
    }

    public EndpointSettings withMaxInFlight(int requests) {
        return new EndpointSettings(origin, name, url, secret, signatureMode, standardSecrets, events, salons, requests, ratePerSecond);
    }

    /** What to fix for {@code key} of this endpoint: a variable for the seed's endpoint, the endpoint and key in the file. */
    static String label(Origin origin, String name, String key) {
        if (origin == Origin.FILE) {
            return SinkVariables.ENDPOINTS_FILE + ": endpoint '" + name + "': " + key;
        }
        return switch (key) {
            case "url" -> SinkVariables.WEBHOOK_URL.name();
            case "secret_env" -> SinkVariables.SECRET.name();
            case "signature" -> SinkVariables.SIGNATURE_MODE.name();
            case "standard_secrets_env" -> SinkVariables.STANDARD_SECRETS.name();
            case "max_in_flight" -> SinkVariables.MAX_IN_FLIGHT.name();
            default -> key;
        };
    }

    private static void check(Origin origin, String name, URI url, String secret, SignatureMode mode, List<String> standardSecrets,
                              int maxInFlight, double ratePerSecond) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(SinkVariables.ENDPOINTS_FILE + ": endpoint name '" + name + "' must match [a-z0-9-]{1,40}");
        }
        Objects.requireNonNull(url, label(origin, name, "url") + " must be set");
        if (!url.isAbsolute() || url.getHost() == null || !WEB_SCHEMES.contains(url.getScheme().toLowerCase(Locale.ROOT))) {
            // Only the scheme and host are echoed: the rest of a Make.com URL is its access token.
            throw new IllegalArgumentException(label(origin, name, "url") + " must be an absolute http(s) URL with a host, was "
                    + (url.getScheme() == null ? "a relative URL" : url.getScheme() + "://" + (url.getHost() == null ? "" : url.getHost()) + "/…"));
        }
        Objects.requireNonNull(mode, label(origin, name, "signature") + " must be set");
        if (mode.make() && (secret == null || secret.isBlank())) {
            throw new IllegalArgumentException(label(origin, name, "secret_env") + (origin == Origin.FILE
                    ? " is required when signature is " + mode.name().toLowerCase(Locale.ROOT) : " must not be empty"));
        }
        if (mode.standard() && standardSecrets.isEmpty()) {
            throw new IllegalArgumentException(label(origin, name, "standard_secrets_env") + " must hold at least one whsec_ secret when "
                    + label(origin, name, "signature") + " is " + mode.name().toLowerCase(Locale.ROOT));
        }
        parsedStandardSecrets(standardSecrets, label(origin, name, "standard_secrets_env"));
        if (maxInFlight < 1 || maxInFlight > MAX_MAX_IN_FLIGHT) {
            throw new IllegalArgumentException(label(origin, name, "max_in_flight") + " must be between 1 and " + MAX_MAX_IN_FLIGHT
                    + ", was " + maxInFlight);
        }
        if (!(ratePerSecond >= 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
            throw new IllegalArgumentException(label(origin, name, "rate_per_second") + " must be a positive number up to "
                    + (long) MAX_RATE_PER_SECOND + ", was " + ratePerSecond);
        }
    }

    /** Literal private targets are refused at start, naming the setting that allows them; names are checked on connect. */
    void checkTarget(boolean allowPrivateTargets) {
        if (!allowPrivateTargets && PrivateAddresses.isLiteralPrivate(url.getHost())) {
            throw new IllegalArgumentException(label(origin, name, "url") + " points to a loopback or private address (" + url.getHost()
                    + "); set " + SinkVariables.ALLOW_PRIVATE_TARGETS + "=true to post there");
        }
    }

    List<WebhookSecret> parsedStandardSecrets() {
        return parsedStandardSecrets(standardSecrets, label(origin, name, "standard_secrets_env"));
    }

    private static List<WebhookSecret> parsedStandardSecrets(List<String> secrets, String setting) {
        return IntStream.range(0, secrets.size())
                .mapToObj(i -> WebhookSecret.parse(secrets.get(i), setting + ": secret " + (i + 1)))
                .toList();
    }

    /** Secrets and the URL's path (a Make.com token) are not shown. */
    @Override
    public String toString() {
        return "Endpoint[" + name + ", " + url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort())
                + "/***, signature=" + signatureMode.name().toLowerCase(Locale.ROOT) + ", secrets=***"
                + (events.isEmpty() ? "" : ", events=" + events) + (salons.isEmpty() ? "" : ", salons=" + salons)
                + ", maxInFlight=" + maxInFlight + (ratePerSecond > 0 ? ", ratePerSecond=" + ratePerSecond : "") + "]";
    }
}
