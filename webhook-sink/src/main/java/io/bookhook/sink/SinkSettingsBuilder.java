package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills {@link SinkSettings} with the defaults its variables declare ({@link SinkVariables}); validation happens once, in {@link #build()}, so the setters only
 * record values and a bad one is reported by its own check. The target and secret given to
 * {@link SinkSettings#builder} make the one endpoint {@code make} (the seed's settings), which the signature and
 * in-flight setters adjust; {@link #endpoints} replaces it with the endpoints of a file.
 */
public final class SinkSettingsBuilder {

    private final URI webhookUrl;
    private final String secret;
    private final Map<String, String> kafkaClient;
    private SignatureMode signatureMode = SinkVariables.SIGNATURE_MODE.defaultValue().orElseThrow();
    private List<String> standardSecrets = List.of();
    private int maxInFlight = SinkSettings.DEFAULT_MAX_IN_FLIGHT;
    private List<EndpointSettings> endpoints;
    private boolean allowPrivateTargets;
    private Duration connectTimeout = SinkVariables.CONNECT_TIMEOUT.defaultValue().orElseThrow();
    private Duration requestTimeout = SinkVariables.REQUEST_TIMEOUT.defaultValue().orElseThrow();
    private Duration firstBackoff = RetrySchedule.DEFAULT.firstInterval();
    private double multiplier = RetrySchedule.DEFAULT.multiplier();
    private Duration maxBackoff = RetrySchedule.DEFAULT.maxInterval();
    private int maxAttempts = RetrySchedule.DEFAULT.maxAttempts();
    private double jitter = RetrySchedule.DEFAULT.jitter();
    private Duration maxRetryAfter = RetrySchedule.DEFAULT.maxRetryAfter();
    private Duration goneHold = SinkVariables.GONE_HOLD.defaultValue().orElseThrow();
    private CircuitSettings circuit = CircuitSettings.DEFAULT;
    private TopicNames topics = TopicNames.defaults();
    private String groupId = SinkSettings.DEFAULT_GROUP_ID;
    private String instanceId;
    private int maxBuffered = SinkSettings.DEFAULT_MAX_BUFFERED;
    private Duration commitInterval = SinkVariables.COMMIT_INTERVAL.defaultValue().orElseThrow();
    private Path stateDir = SinkSettings.DEFAULT_STATE_DIR;
    private String salonIdColumn = SinkSettings.DEFAULT_SALON_ID_COLUMN;
    private Optional<Duration> payloadRetention = SinkVariables.LEDGER_PAYLOAD_RETENTION.defaultValue().orElseThrow();

    SinkSettingsBuilder(URI webhookUrl, String secret, Map<String, String> kafkaClient) {
        this.webhookUrl = webhookUrl;
        this.secret = secret;
        this.kafkaClient = kafkaClient;
    }

    public SinkSettingsBuilder signatureMode(SignatureMode mode) {
        this.signatureMode = mode;
        return this;
    }

    /** {@code whsec_…} secrets, newest first; each one signs every request while it is listed. */
    public SinkSettingsBuilder standardSecrets(List<String> secrets) {
        this.standardSecrets = secrets;
        return this;
    }

    public SinkSettingsBuilder allowPrivateTargets(boolean allow) {
        this.allowPrivateTargets = allow;
        return this;
    }

    public SinkSettingsBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    /** The hard deadline of one attempt: connect, request, response headers and the (bounded) body. */
    public SinkSettingsBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** The endpoints of {@code BOOKHOOK_ENDPOINTS_FILE}, in place of the one made from the target and secret. */
    public SinkSettingsBuilder endpoints(List<EndpointSettings> fromFile) {
        this.endpoints = fromFile;
        return this;
    }

    /** Requests to the endpoint in flight at once. */
    public SinkSettingsBuilder maxInFlight(int requests) {
        this.maxInFlight = requests;
        return this;
    }

    public SinkSettingsBuilder maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    public SinkSettingsBuilder firstBackoff(Duration backoff) {
        this.firstBackoff = backoff;
        return this;
    }

    public SinkSettingsBuilder retryMultiplier(double factor) {
        this.multiplier = factor;
        return this;
    }

    public SinkSettingsBuilder maxBackoff(Duration backoff) {
        this.maxBackoff = backoff;
        return this;
    }

    public SinkSettingsBuilder retryJitter(double fraction) {
        this.jitter = fraction;
        return this;
    }

    public SinkSettingsBuilder maxRetryAfter(Duration clamp) {
        this.maxRetryAfter = clamp;
        return this;
    }

    public SinkSettingsBuilder goneHold(Duration hold) {
        this.goneHold = hold;
        return this;
    }

    public SinkSettingsBuilder circuit(CircuitSettings settings) {
        this.circuit = settings;
        return this;
    }

    public SinkSettingsBuilder topics(TopicNames names) {
        this.topics = names;
        return this;
    }

    public SinkSettingsBuilder groupId(String id) {
        this.groupId = id;
        return this;
    }

    /** This sink's stable, unique name: static group membership, transactional id and local state directory. */
    public SinkSettingsBuilder instanceId(String id) {
        this.instanceId = id;
        return this;
    }

    public SinkSettingsBuilder maxBuffered(int deliveries) {
        this.maxBuffered = deliveries;
        return this;
    }

    public SinkSettingsBuilder commitInterval(Duration interval) {
        this.commitInterval = interval;
        return this;
    }

    public SinkSettingsBuilder stateDir(Path directory) {
        this.stateDir = directory;
        return this;
    }

    /** The appointment column that holds its salon id (BOOKHOOK_COLUMN_SALON_ID), for salon filters. */
    public SinkSettingsBuilder salonIdColumn(String column) {
        this.salonIdColumn = column;
        return this;
    }

    /** How long final ledger records keep their payload (BOOKHOOK_LEDGER_PAYLOAD_RETENTION); empty: for ever. */
    public SinkSettingsBuilder payloadRetention(Optional<Duration> retention) {
        this.payloadRetention = retention;
        return this;
    }

    public SinkSettings build() {
        RetrySchedule retry = new RetrySchedule(firstBackoff, multiplier, maxBackoff, maxAttempts, jitter, maxRetryAfter);
        List<EndpointSettings> all = endpoints != null ? endpoints
                : List.of(EndpointSettings.seed(webhookUrl, secret, signatureMode, standardSecrets, maxInFlight));
        return new SinkSettings(all, allowPrivateTargets, connectTimeout, requestTimeout, retry, goneHold, circuit, kafkaClient, topics,
                groupId, instanceId == null ? SinkSettings.defaultInstanceId() : instanceId, maxBuffered, commitInterval, stateDir,
                salonIdColumn, payloadRetention);
    }
}
