package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Fills {@link SinkSettings} with its defaults; validation happens once, in {@link #build()}. */
public final class SinkSettingsBuilder {

    private final URI webhookUrl;
    private final String secret;
    private final Map<String, String> kafkaClient;
    private boolean allowPrivateTargets;
    private Duration connectTimeout = SinkSettings.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = SinkSettings.DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = SinkSettings.DEFAULT_MAX_ATTEMPTS;
    private Duration firstBackoff = SinkSettings.DEFAULT_FIRST_BACKOFF;
    private TopicNames topics = TopicNames.defaults();
    private String groupId = SinkSettings.DEFAULT_GROUP_ID;
    private String transactionalId;

    SinkSettingsBuilder(URI webhookUrl, String secret, Map<String, String> kafkaClient) {
        this.webhookUrl = webhookUrl;
        this.secret = secret;
        this.kafkaClient = kafkaClient;
    }

    public SinkSettingsBuilder allowPrivateTargets(boolean allow) {
        this.allowPrivateTargets = allow;
        return this;
    }

    public SinkSettingsBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    public SinkSettingsBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
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

    public SinkSettingsBuilder topics(TopicNames names) {
        this.topics = names;
        return this;
    }

    public SinkSettingsBuilder groupId(String id) {
        this.groupId = id;
        return this;
    }

    public SinkSettingsBuilder transactionalId(String id) {
        this.transactionalId = id;
        return this;
    }

    public SinkSettings build() {
        return new SinkSettings(webhookUrl, secret, allowPrivateTargets, connectTimeout, requestTimeout, maxAttempts,
                firstBackoff, kafkaClient, topics, groupId,
                transactionalId == null ? SinkSettings.defaultTransactionalId() : transactionalId);
    }
}
