package io.bookhook.derive;

import io.bookhook.runtime.settings.Setting;
import io.bookhook.runtime.settings.SettingsReader;
import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the derive topology needs: Kafka, topic names, the table mapping, how long to wait for related rows, and how
 * long it keeps an appointment's state after its last change ({@code stateRetention}; zero keeps it for ever).
 */
public record DeriveSettings(
        String applicationId,
        Map<String, String> kafkaClient,
        TopicNames topics,
        TableMapping mapping,
        Duration relatedRowGrace,
        Duration commitInterval,
        Path stateDir,
        Duration stateRetention) {

    public static final Setting<String> APPLICATION_ID = Setting.text("BOOKHOOK_DERIVE_APPLICATION_ID", "bookhook-derive");
    /** Zero: an event goes out without waiting for a related row that has not arrived yet. */
    public static final Setting<Duration> RELATED_ROW_GRACE = Setting.duration("BOOKHOOK_RELATED_ROW_GRACE", Duration.ofSeconds(10))
            .must(grace -> !grace.isNegative(), "not be negative");
    /** Zero: Kafka Streams commits as often as it can. */
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("BOOKHOOK_DERIVE_COMMIT_INTERVAL", Duration.ofMillis(20))
            .must(interval -> !interval.isNegative(), "not be negative");
    /** Zero: an appointment's state is kept for ever. */
    public static final Setting<Duration> STATE_RETENTION = Setting.duration("BOOKHOOK_DERIVE_STATE_RETENTION", Duration.ofDays(90))
            .must(retention -> !retention.isNegative(), "not be negative");

    /** Every variable derive reads itself; Kafka, the topics, the mapping and the state directory are composed in by the caller. */
    public static final List<Setting<?>> DECLARED = List.of(APPLICATION_ID, RELATED_ROW_GRACE, COMMIT_INTERVAL, STATE_RETENTION);

    public DeriveSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        kafkaClient = Map.copyOf(kafkaClient);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(mapping, "mapping");
        RELATED_ROW_GRACE.check(relatedRowGrace);
        COMMIT_INTERVAL.check(commitInterval);
        Objects.requireNonNull(stateDir, "stateDir");
        STATE_RETENTION.check(stateRetention);
    }

    /** Derive's own settings from {@code env}, with what derive shares with the other stages. */
    public static DeriveSettings read(SettingsReader env, Map<String, String> kafkaClient, TopicNames topics, TableMapping mapping,
                                      Path stateDir) {
        return new DeriveSettings(env.get(APPLICATION_ID), kafkaClient, topics, mapping, env.get(RELATED_ROW_GRACE),
                env.get(COMMIT_INTERVAL), stateDir, env.get(STATE_RETENTION));
    }
}
