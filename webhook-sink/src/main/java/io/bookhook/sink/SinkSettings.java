package io.bookhook.sink;

import static io.bookhook.sink.SinkVariables.*;

import io.bookhook.schemas.TopicNames;
import io.bookhook.sink.signing.WebhookSecret;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything the sink needs, checked once at start so a bad setting stops the process with one line naming the
 * variable to fix ({@link SinkVariables}) rather than failing at the first record. Build with {@link #builder}.
 *
 * @param secret          {@code MAKE_WEBHOOK_SECRET}, the key of {@code X-Make-Signature}
 * @param signatureMode   which signature headers go out
 * @param standardSecrets {@code whsec_…} secrets for Standard Webhooks, newest first; several during a rotation
 * @param maxInFlight     requests to the endpoint in flight at once
 * @param retry           the retry schedule
 * @param goneHold        after a 410 Gone, how long the endpoint's deliveries wait before it is tried again
 * @param circuit         when the endpoint's circuit opens, and how it probes
 * @param kafkaClient     Kafka client properties shared by the sink's clients (bootstrap.servers required;
 *                        TLS/SASL settings pass through unchanged)
 * @param instanceId      this sink's stable name: its static group membership and transactional id, and the name of
 *                        its local state; unique per running sink
 * @param maxBuffered     deliveries held in memory (in flight, ready, queued) before the sink pauses its partitions
 * @param commitInterval  how often the sink commits its ledger records and offsets
 * @param stateDir        where the local copy of the delivery index lives (rebuilt from Kafka when missing)
 */
public record SinkSettings(URI webhookUrl, String secret, SignatureMode signatureMode, List<String> standardSecrets,
                           boolean allowPrivateTargets, Duration connectTimeout, Duration requestTimeout, int maxInFlight,
                           RetrySchedule retry, Duration goneHold, CircuitSettings circuit, Map<String, String> kafkaClient,
                           TopicNames topics, String groupId, String instanceId, int maxBuffered, Duration commitInterval,
                           Path stateDir) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_IN_FLIGHT = 100;
    public static final int MAX_MAX_IN_FLIGHT = 10_000;
    public static final int DEFAULT_MAX_ATTEMPTS = RetrySchedule.DEFAULT.maxAttempts();
    public static final Duration DEFAULT_FIRST_BACKOFF = RetrySchedule.DEFAULT.firstInterval();
    public static final double DEFAULT_RETRY_MULTIPLIER = RetrySchedule.DEFAULT.multiplier();
    public static final Duration DEFAULT_RETRY_MAX_INTERVAL = RetrySchedule.DEFAULT.maxInterval();
    public static final double DEFAULT_RETRY_JITTER = RetrySchedule.DEFAULT.jitter();
    public static final Duration DEFAULT_MAX_RETRY_AFTER = RetrySchedule.DEFAULT.maxRetryAfter();
    public static final Duration DEFAULT_GONE_HOLD = Duration.ofMinutes(5);
    public static final SignatureMode DEFAULT_SIGNATURE_MODE = SignatureMode.MAKE;
    public static final String DEFAULT_GROUP_ID = "bookhook-sink";
    public static final int DEFAULT_MAX_BUFFERED = 5_000;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "bookhook-state");

    private static final Set<String> WEB_SCHEMES = Set.of("http", "https");

    // Client properties whose values are credentials: shown masked, like the webhook secret.
    private static final Pattern SENSITIVE_PROPERTY = Pattern.compile(".*(password|jaas|secret|credential|token).*|.*\\.key");

    public SinkSettings {
        Objects.requireNonNull(webhookUrl, WEBHOOK_URL + " must be set");
        if (!webhookUrl.isAbsolute() || webhookUrl.getHost() == null
                || !WEB_SCHEMES.contains(webhookUrl.getScheme().toLowerCase(Locale.ROOT))) {
            // Only the scheme and host are echoed: the rest of a Make.com URL is its access token.
            throw new IllegalArgumentException(WEBHOOK_URL + " must be an absolute http(s) URL with a host, was "
                    + webhookUrl.getScheme() + "://" + webhookUrl.getHost() + "/…");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(SECRET + " must not be empty");
        }
        Objects.requireNonNull(signatureMode, SIGNATURE_MODE + " must be set");
        standardSecrets = standardSecrets == null ? List.of() : List.copyOf(standardSecrets);
        if (signatureMode.standard() && standardSecrets.isEmpty()) {
            throw new IllegalArgumentException(STANDARD_SECRETS + " must hold at least one whsec_ secret when " + SIGNATURE_MODE + " is "
                    + signatureMode.name().toLowerCase(Locale.ROOT));
        }
        parsedStandardSecrets(standardSecrets);
        requirePositive(connectTimeout, CONNECT_TIMEOUT);
        requirePositive(requestTimeout, REQUEST_TIMEOUT);
        if (maxInFlight < 1 || maxInFlight > MAX_MAX_IN_FLIGHT) {
            throw new IllegalArgumentException(MAX_IN_FLIGHT + " must be between 1 and " + MAX_MAX_IN_FLIGHT + ", was " + maxInFlight);
        }
        Objects.requireNonNull(retry, "retry must be set");
        requirePositive(goneHold, GONE_HOLD);
        Objects.requireNonNull(circuit, "circuit must be set");
        Objects.requireNonNull(kafkaClient, BOOTSTRAP_SERVERS + " must be set");
        String bootstrap = kafkaClient.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must be set");
        }
        kafkaClient = Map.copyOf(kafkaClient);
        Objects.requireNonNull(topics, "topics must be set");
        requireText(groupId, GROUP_ID);
        requireText(instanceId, INSTANCE_ID);
        if (maxBuffered < maxInFlight) {
            throw new IllegalArgumentException(MAX_BUFFERED + " (" + maxBuffered + ") must be at least " + MAX_IN_FLIGHT + " ("
                    + maxInFlight + "), or requests could never fill the endpoint's slots");
        }
        requirePositive(commitInterval, COMMIT_INTERVAL);
        Objects.requireNonNull(stateDir, STATE_DIR + " must be set");
        // A literal private target is refused here, at start; names are checked on every connect (PublicOnlySockets).
        if (!allowPrivateTargets && PrivateAddresses.isLiteralPrivate(webhookUrl.getHost())) {
            throw new IllegalArgumentException(WEBHOOK_URL + " points to a loopback or private address ("
                    + webhookUrl.getHost() + "); set " + ALLOW_PRIVATE_TARGETS + "=true to post there");
        }
    }

    /** Defaults for everything but the target, the secret and the Kafka connection. */
    public static SinkSettingsBuilder builder(URI webhookUrl, String secret, Map<String, String> kafkaClient) {
        return new SinkSettingsBuilder(webhookUrl, secret, kafkaClient);
    }

    public int maxAttempts() {
        return retry.maxAttempts();
    }

    public Duration firstBackoff() {
        return retry.firstInterval();
    }

    /** The transactional id of the sink's producer: its instance id, so a restarted instance fences its former self. */
    public String transactionalId() {
        return instanceId;
    }

    List<WebhookSecret> parsedStandardSecrets() {
        return parsedStandardSecrets(standardSecrets);
    }

    private static List<WebhookSecret> parsedStandardSecrets(List<String> secrets) {
        return java.util.stream.IntStream.range(0, secrets.size())
                .mapToObj(i -> WebhookSecret.parse(secrets.get(i), "standard webhook secret " + (i + 1)))
                .toList();
    }

    /**
     * A stable name per host keeps static membership and fencing meaningful across restarts (a StatefulSet's pod
     * names, a VM's host name); a UUID when the host has none.
     */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = null;
        }
        return "bookhook-sink-" + (host == null || host.isBlank() ? UUID.randomUUID() : host);
    }

    /** Secrets, URL path (the Make.com token) and credential-like client properties are masked. */
    @Override
    public String toString() {
        Map<String, String> shownClient = new TreeMap<>();
        kafkaClient.forEach((name, value) -> shownClient.put(name,
                SENSITIVE_PROPERTY.matcher(name.toLowerCase(Locale.ROOT)).matches() ? "***" : value));
        String shownUrl = webhookUrl.getScheme() + "://" + webhookUrl.getHost()
                + (webhookUrl.getPort() == -1 ? "" : ":" + webhookUrl.getPort()) + "/***";
        return "SinkSettings[webhookUrl=" + shownUrl + ", secret=***, signatureMode=" + signatureMode
                + ", standardSecrets=" + standardSecrets.size() + " x ***, allowPrivateTargets=" + allowPrivateTargets
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxInFlight=" + maxInFlight
                + ", retry=" + retry + ", goneHold=" + goneHold + ", circuit=" + circuit + ", kafkaClient=" + shownClient
                + ", topics=" + topics + ", groupId=" + groupId + ", instanceId=" + instanceId + ", maxBuffered=" + maxBuffered
                + ", commitInterval=" + commitInterval + ", stateDir=" + stateDir + "]";
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
