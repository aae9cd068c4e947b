package io.bookhook.sink;

import static io.bookhook.sink.SinkVariables.*;

import io.bookhook.schemas.TopicNames;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
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
 * variable (or the endpoints file's endpoint and key) to fix ({@link SinkVariables}) rather than failing at the first
 * record. Build with {@link #builder}.
 *
 * @param endpoints       where to post: the seed's one endpoint {@code make}, or those of {@code BOOKHOOK_ENDPOINTS_FILE}
 * @param retry           the retry schedule
 * @param goneHold        after a 410 Gone, how long the endpoint's deliveries wait before it is tried again
 * @param circuit         when an endpoint's circuit opens, and how it probes
 * @param kafkaClient     Kafka client properties shared by the sink's clients (bootstrap.servers required;
 *                        TLS/SASL settings pass through unchanged)
 * @param instanceId      this sink's stable name: its static group membership and transactional id, and the name of
 *                        its local state; unique per running sink
 * @param maxBuffered     deliveries held in memory (in flight, ready, queued) before the sink pauses its partitions
 * @param commitInterval  how often the sink commits its ledger records and offsets
 * @param stateDir        where the local copy of the delivery index lives (rebuilt from Kafka when missing)
 * @param salonIdColumn   the appointment column holding its salon id, for endpoints' salon filters
 */
public record SinkSettings(List<EndpointSettings> endpoints, boolean allowPrivateTargets, Duration connectTimeout, Duration requestTimeout,
                           RetrySchedule retry, Duration goneHold, CircuitSettings circuit, Map<String, String> kafkaClient,
                           TopicNames topics, String groupId, String instanceId, int maxBuffered, Duration commitInterval,
                           Path stateDir, String salonIdColumn) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_IN_FLIGHT = 100;
    public static final int MAX_MAX_IN_FLIGHT = EndpointSettings.MAX_MAX_IN_FLIGHT;
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
    public static final String DEFAULT_SALON_ID_COLUMN = "salon_id";

    // Client properties whose values are credentials: shown masked, like the webhook secret.
    private static final Pattern SENSITIVE_PROPERTY = Pattern.compile(".*(password|jaas|secret|credential|token).*|.*\\.key");

    public SinkSettings {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the sink needs at least one endpoint");
        }
        Set<String> names = new HashSet<>();
        for (EndpointSettings endpoint : endpoints) {
            if (!names.add(endpoint.name())) {
                throw new IllegalArgumentException(SinkVariables.ENDPOINTS_FILE + ": endpoint '" + endpoint.name() + "' is named twice");
            }
            endpoint.checkTarget(allowPrivateTargets);
        }
        requirePositive(connectTimeout, CONNECT_TIMEOUT);
        requirePositive(requestTimeout, REQUEST_TIMEOUT);
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
        EndpointSettings widest = endpoints.stream().max(Comparator.comparingInt(EndpointSettings::maxInFlight)).orElseThrow();
        if (maxBuffered < widest.maxInFlight()) {
            throw new IllegalArgumentException(MAX_BUFFERED + " (" + maxBuffered + ") must be at least "
                    + EndpointSettings.label(widest.origin(), widest.name(), "max_in_flight") + " (" + widest.maxInFlight()
                    + "), or requests could never fill the endpoint's slots");
        }
        requirePositive(commitInterval, COMMIT_INTERVAL);
        Objects.requireNonNull(stateDir, STATE_DIR + " must be set");
        requireText(salonIdColumn, "BOOKHOOK_COLUMN_SALON_ID");
    }

    /** The seed's one endpoint {@code make} at {@code webhookUrl}, signed with {@code secret}; defaults for the rest. */
    public static SinkSettingsBuilder builder(URI webhookUrl, String secret, Map<String, String> kafkaClient) {
        return new SinkSettingsBuilder(webhookUrl, secret, kafkaClient);
    }

    /** For endpoints of a file ({@link SinkSettingsBuilder#endpoints}); defaults for the rest. */
    public static SinkSettingsBuilder builder(Map<String, String> kafkaClient) {
        return new SinkSettingsBuilder(null, null, kafkaClient);
    }

    /** Requests in flight across every endpoint, at most. */
    public int totalMaxInFlight() {
        return endpoints.stream().mapToInt(EndpointSettings::maxInFlight).sum();
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
        return "SinkSettings[endpoints=" + endpoints + ", allowPrivateTargets=" + allowPrivateTargets
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retry=" + retry + ", goneHold=" + goneHold + ", circuit=" + circuit + ", kafkaClient=" + shownClient
                + ", topics=" + topics + ", groupId=" + groupId + ", instanceId=" + instanceId + ", maxBuffered=" + maxBuffered
                + ", commitInterval=" + commitInterval + ", stateDir=" + stateDir + ", salonIdColumn=" + salonIdColumn + "]";
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
