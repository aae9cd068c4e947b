package io.bookhook.sink;

import static io.bookhook.sink.SinkVariables.*;

import io.bookhook.runtime.settings.InvalidSettingException;
import io.bookhook.runtime.settings.Setting;
import io.bookhook.runtime.settings.SettingsReader;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * @param payloadRetention how long a final ledger record keeps its payload; empty: for ever
 */
public record SinkSettings(List<EndpointSettings> endpoints, boolean allowPrivateTargets, Duration connectTimeout, Duration requestTimeout,
                           RetrySchedule retry, Duration goneHold, CircuitSettings circuit, Map<String, String> kafkaClient,
                           TopicNames topics, String groupId, String instanceId, int maxBuffered, Duration commitInterval,
                           Path stateDir, String salonIdColumn, Optional<Duration> payloadRetention) {

    public static final int DEFAULT_MAX_IN_FLIGHT = MAX_IN_FLIGHT.defaultValue().orElseThrow();
    public static final int MAX_MAX_IN_FLIGHT = EndpointSettings.MAX_MAX_IN_FLIGHT;
    public static final String DEFAULT_GROUP_ID = GROUP_ID.defaultValue().orElseThrow();
    public static final int DEFAULT_MAX_BUFFERED = MAX_BUFFERED.defaultValue().orElseThrow();
    /** Where a sink built without {@link SinkSettingsBuilder#stateDir} keeps its state: the launcher always sets it. */
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "bookhook-state");
    public static final String DEFAULT_SALON_ID_COLUMN = "salon_id";

    private static final Logger LOG = LoggerFactory.getLogger(SinkSettings.class);

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
                throw new IllegalArgumentException(ENDPOINTS_FILE.name() + ": endpoint '" + endpoint.name() + "' is named twice");
            }
            endpoint.checkTarget(allowPrivateTargets);
        }
        CONNECT_TIMEOUT.check(connectTimeout);
        REQUEST_TIMEOUT.check(requestTimeout);
        Objects.requireNonNull(retry, "retry must be set");
        GONE_HOLD.check(goneHold);
        Objects.requireNonNull(circuit, "circuit must be set");
        Objects.requireNonNull(kafkaClient, BOOTSTRAP_SERVERS + " must be set");
        String bootstrap = kafkaClient.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must be set");
        }
        kafkaClient = Map.copyOf(kafkaClient);
        Objects.requireNonNull(topics, "topics must be set");
        requireText(groupId, GROUP_ID.name());
        requireText(instanceId, INSTANCE_ID.name());
        EndpointSettings widest = endpoints.stream().max(Comparator.comparingInt(EndpointSettings::maxInFlight)).orElseThrow();
        if (maxBuffered < widest.maxInFlight()) {
            throw new IllegalArgumentException(MAX_BUFFERED.name() + " (" + maxBuffered + ") must be at least "
                    + EndpointSettings.label(widest.origin(), widest.name(), "max_in_flight") + " (" + widest.maxInFlight()
                    + "), or requests could never fill the endpoint's slots");
        }
        COMMIT_INTERVAL.check(commitInterval);
        Objects.requireNonNull(stateDir, "stateDir");
        requireText(salonIdColumn, SALON_ID_COLUMN);
        LEDGER_PAYLOAD_RETENTION.check(Objects.requireNonNull(payloadRetention, "payloadRetention"));
    }

    /** The seed's one endpoint {@code make} at {@code webhookUrl}, signed with {@code secret}; defaults for the rest. */
    public static SinkSettingsBuilder builder(URI webhookUrl, String secret, Map<String, String> kafkaClient) {
        return new SinkSettingsBuilder(webhookUrl, secret, kafkaClient);
    }

    /** For endpoints of a file ({@link SinkSettingsBuilder#endpoints}); defaults for the rest. */
    public static SinkSettingsBuilder builder(Map<String, String> kafkaClient) {
        return new SinkSettingsBuilder(null, null, kafkaClient);
    }

    /**
     * The sink's settings from {@code env}, with what it shares with the other stages. Its endpoints come from
     * BOOKHOOK_ENDPOINTS_FILE when that is set (then the seed's MAKE_WEBHOOK_URL and friends are not read), else the one
     * endpoint {@code make} from the seed's settings. A bad setting is refused with an {@link IllegalArgumentException}
     * naming the variable (or the file's endpoint and key); no message carries a secret's value.
     */
    public static SinkSettings read(SettingsReader env, Map<String, String> kafkaClient, TopicNames topics, Path stateDir,
                                    String salonIdColumn) {
        SinkSettingsBuilder builder = env.find(ENDPOINTS_FILE).map(file -> fileEndpoints(env, file, kafkaClient))
                .orElseGet(() -> seedEndpoint(env, kafkaClient));
        builder.allowPrivateTargets(env.get(ALLOW_PRIVATE_TARGETS))
                .connectTimeout(env.get(CONNECT_TIMEOUT))
                .requestTimeout(env.get(REQUEST_TIMEOUT))
                .maxAttempts(env.get(RETRY_MAX_ATTEMPTS))
                .firstBackoff(env.get(RETRY_FIRST_INTERVAL))
                .retryMultiplier(env.get(RETRY_MULTIPLIER))
                .maxBackoff(env.get(RETRY_MAX_INTERVAL))
                .retryJitter(env.get(RETRY_JITTER))
                .maxRetryAfter(env.get(RETRY_AFTER_MAX))
                .goneHold(env.get(GONE_HOLD))
                .topics(topics)
                .groupId(env.get(GROUP_ID))
                .maxBuffered(env.get(MAX_BUFFERED))
                .commitInterval(env.get(COMMIT_INTERVAL))
                .payloadRetention(env.get(LEDGER_PAYLOAD_RETENTION))
                .stateDir(stateDir)
                .salonIdColumn(salonIdColumn)
                .circuit(new CircuitSettings(env.get(CIRCUIT_WINDOW), env.get(CIRCUIT_FAILURE_RATE), env.get(CIRCUIT_PROBE_INTERVAL)));
        env.find(INSTANCE_ID).ifPresent(builder::instanceId);
        return builder.build();
    }

    /** The endpoints of BOOKHOOK_ENDPOINTS_FILE; the seed's target, when still set, is named as not used (one line). */
    private static SinkSettingsBuilder fileEndpoints(SettingsReader env, String file, Map<String, String> kafkaClient) {
        List<String> ignored = Stream.of(WEBHOOK_URL, SECRET).map(Setting::name).filter(name -> env.raw(name).isPresent()).toList();
        if (!ignored.isEmpty()) {
            LOG.warn("{} is set, so {} {} not used: name the receiver in the file to keep posting there", ENDPOINTS_FILE,
                    String.join(" and ", ignored), ignored.size() == 1 ? "is" : "are");
        }
        return builder(kafkaClient).endpoints(EndpointsFile.read(Path.of(file), env::raw));
    }

    /** The seed's one endpoint: MAKE_WEBHOOK_URL, MAKE_WEBHOOK_SECRET, BOOKHOOK_SIGNATURE_MODE, its secrets, BOOKHOOK_MAX_IN_FLIGHT. */
    private static SinkSettingsBuilder seedEndpoint(SettingsReader env, Map<String, String> kafkaClient) {
        SignatureMode mode = env.get(SIGNATURE_MODE);
        List<String> standardSecrets = env.get(STANDARD_SECRETS);
        if (mode != SignatureMode.MAKE && standardSecrets.isEmpty()) {
            throw new InvalidSettingException(STANDARD_SECRETS + " is not set (needed when " + SIGNATURE_MODE + " is "
                    + mode.name().toLowerCase(Locale.ROOT) + ")");
        }
        return builder(env.get(WEBHOOK_URL), env.get(SECRET), kafkaClient)
                .signatureMode(mode)
                .standardSecrets(standardSecrets)
                .maxInFlight(env.get(MAX_IN_FLIGHT));
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
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retry=" + retry + ", goneHold=" + goneHold + ", payloadRetention=" + payloadRetention.map(Object::toString).orElse("forever") + ", circuit=" + circuit + ", kafkaClient=" + shownClient
                + ", topics=" + topics + ", groupId=" + groupId + ", instanceId=" + instanceId + ", maxBuffered=" + maxBuffered
                + ", commitInterval=" + commitInterval + ", stateDir=" + stateDir + ", salonIdColumn=" + salonIdColumn + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
