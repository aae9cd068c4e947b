package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fills {@link SinkSettings} with its defaults; validation happens once, in {@link #build()}, so the retry
 * setters only record values and a bad one is reported by the schedule's own check.
 */
public final class SinkSettingsBuilder {

    private final URI webhookUrl;
    private final String secret;
    private final Map<String, String> kafkaClient;
    private SignatureMode signatureMode = SinkSettings.DEFAULT_SIGNATURE_MODE;
    private List<String> standardSecrets = List.of();
    private boolean allowPrivateTargets;
    private Duration connectTimeout = SinkSettings.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = SinkSettings.DEFAULT_REQUEST_TIMEOUT;
    private int maxInFlight = SinkSettings.DEFAULT_MAX_IN_FLIGHT;
    private Duration firstBackoff = RetrySchedule.DEFAULT.firstInterval();
    private double multiplier = RetrySchedule.DEFAULT.multiplier();
    private Duration maxBackoff = RetrySchedule.DEFAULT.maxInterval();
    private int maxAttempts = RetrySchedule.DEFAULT.maxAttempts();
    private double jitter = RetrySchedule.DEFAULT.jitter();
    private Duration maxRetryAfter = RetrySchedule.DEFAULT.maxRetryAfter();
    private Duration goneHold = SinkSettings.DEFAULT_GONE_HOLD;
    private CircuitSettings circuit = CircuitSettings.DEFAULT;
    private TopicNames topics = TopicNames.defaults();
    private String groupId = SinkSettings.DEFAULT_GROUP_ID;
    private String instanceId;
    private int maxBuffered = SinkSettings.DEFAULT_MAX_BUFFERED;
    private Duration commitInterval = SinkSettings.DEFAULT_COMMIT_INTERVAL;
    private Path stateDir = SinkSettings.DEFAULT_STATE_DIR;

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

    public SinkSettings build() {
        RetrySchedule retry = new RetrySchedule(firstBackoff, multiplier, maxBackoff, maxAttempts, jitter, maxRetryAfter);
        return new SinkSettings(webhookUrl, secret, signatureMode, standardSecrets, allowPrivateTargets, connectTimeout,
                requestTimeout, maxInFlight, retry, goneHold, circuit, kafkaClient, topics, groupId,
                instanceId == null ? SinkSettings.defaultInstanceId() : instanceId, maxBuffered, commitInterval, stateDir);
    }
}
