package io.bookhook.capture;

import io.bookhook.runtime.settings.Setting;
import io.bookhook.runtime.settings.SettingsReader;
import io.bookhook.schemas.RecordLimits;
import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything capture needs: the database, the tables to capture and the columns the mapping relies on, the
 * replication slot and publication it owns, where its offsets live, and the Kafka client settings (TLS/SASL
 * pass through {@code kafkaClient}). The heartbeat table is bookhook's own: capture writes to it so the
 * slot's confirmed position advances while the booking tables are idle and Postgres can recycle its WAL.
 * {@code maxMessageBytes} is the producer's {@code max.request.size}: a change Kafka refuses as larger than that (or
 * than the topic takes) is dead-lettered instead of stopping capture.
 */
public record CaptureSettings(
        PostgresConnection postgres,
        String schema,
        List<String> tables,
        List<SchemaRequirement> requirements,
        String heartbeatTable,
        String slotName,
        String publicationName,
        String engineName,
        String offsetTopic,
        Map<String, String> kafkaClient,
        TopicNames topics,
        Duration pollInterval,
        Duration heartbeatInterval,
        int maxMessageBytes) {

    /** Kafka's default {@code max.request.size}, and what a broker's default {@code message.max.bytes} accepts. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = RecordLimits.DEFAULT_MAX_RECORD_BYTES;

    public static final Setting<String> POSTGRES_HOST = Setting.requiredText("BOOKHOOK_POSTGRES_HOST");
    public static final Setting<Integer> POSTGRES_PORT = Setting.integer("BOOKHOOK_POSTGRES_PORT", 5432, 1, 65535);
    public static final Setting<String> POSTGRES_DB = Setting.requiredText("BOOKHOOK_POSTGRES_DB");
    public static final Setting<String> POSTGRES_USER = Setting.requiredText("BOOKHOOK_POSTGRES_USER");
    public static final Setting<String> POSTGRES_PASSWORD = Setting.requiredText("BOOKHOOK_POSTGRES_PASSWORD").secret();
    public static final Setting<String> POSTGRES_SSLMODE = Setting.text(PostgresTls.SSLMODE_SETTING, PostgresTls.DEFAULT.mode().value());
    public static final Setting<String> POSTGRES_SSLROOTCERT = Setting.optionalText(PostgresTls.SSLROOTCERT_SETTING, "");
    public static final Setting<String> POSTGRES_SSLCERT = Setting.optionalText(PostgresTls.SSLCERT_SETTING, "");
    public static final Setting<String> POSTGRES_SSLKEY = Setting.optionalText(PostgresTls.SSLKEY_SETTING, "");
    public static final Setting<String> SCHEMA = Setting.text("BOOKHOOK_POSTGRES_SCHEMA", "public");
    public static final Setting<String> HEARTBEAT_TABLE = Setting.text("BOOKHOOK_HEARTBEAT_TABLE", "bookhook_heartbeat");
    public static final Setting<String> SLOT_NAME = Setting.text("BOOKHOOK_SLOT_NAME", "bookhook");
    public static final Setting<String> PUBLICATION_NAME = Setting.text("BOOKHOOK_PUBLICATION_NAME", "bookhook");
    public static final Setting<String> ENGINE_NAME = Setting.text("BOOKHOOK_CAPTURE_NAME", "bookhook-capture");
    public static final Setting<String> OFFSET_TOPIC = Setting.text("BOOKHOOK_CAPTURE_OFFSET_TOPIC", "bookhook.capture-offsets");
    /** Zero would have Debezium poll the replication stream in a busy loop. */
    public static final Setting<Duration> POLL_INTERVAL = Setting.positiveDuration("BOOKHOOK_CAPTURE_POLL_INTERVAL", Duration.ofMillis(10));
    /** Zero would turn Debezium's heartbeats off, and with them the slot's advance while the booking tables are idle. */
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.positiveDuration("BOOKHOOK_HEARTBEAT_INTERVAL", Duration.ofSeconds(10));

    /** The booking database (also what backfill reads). */
    public static final List<Setting<?>> POSTGRES = List.of(POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD,
            POSTGRES_SSLMODE, POSTGRES_SSLROOTCERT, POSTGRES_SSLCERT, POSTGRES_SSLKEY, SCHEMA);
    /** Every variable capture reads itself; the table mapping, Kafka and the topics are composed in by the caller. */
    public static final List<Setting<?>> DECLARED = List.of(POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD,
            POSTGRES_SSLMODE, POSTGRES_SSLROOTCERT, POSTGRES_SSLCERT, POSTGRES_SSLKEY, SCHEMA, HEARTBEAT_TABLE, SLOT_NAME, PUBLICATION_NAME, ENGINE_NAME, OFFSET_TOPIC, POLL_INTERVAL, HEARTBEAT_INTERVAL);

    public CaptureSettings {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(schema, "schema");
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("at least one table must be captured");
        }
        requirements = List.copyOf(requirements);
        Objects.requireNonNull(heartbeatTable, "heartbeatTable");
        Objects.requireNonNull(slotName, "slotName");
        Objects.requireNonNull(publicationName, "publicationName");
        Objects.requireNonNull(engineName, "engineName");
        Objects.requireNonNull(offsetTopic, "offsetTopic");
        kafkaClient = Map.copyOf(kafkaClient);
        if (!kafkaClient.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafka client settings lack bootstrap.servers");
        }
        Objects.requireNonNull(topics, "topics");
        POLL_INTERVAL.check(pollInterval);
        HEARTBEAT_INTERVAL.check(heartbeatInterval);
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("max message bytes must be positive");
        }
    }

    /** With Kafka's default message size limit. */
    public CaptureSettings(PostgresConnection postgres, String schema, List<String> tables, List<SchemaRequirement> requirements,
            String heartbeatTable, String slotName, String publicationName, String engineName, String offsetTopic,
            Map<String, String> kafkaClient, TopicNames topics, Duration pollInterval, Duration heartbeatInterval) {
        this(postgres, schema, tables, requirements, heartbeatTable, slotName, publicationName, engineName, offsetTopic, kafkaClient,
                topics, pollInterval, heartbeatInterval, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * The booking database of {@link #POSTGRES}, over the TLS of {@code BOOKHOOK_POSTGRES_SSLMODE} (by default {@code prefer}, what
     * pgjdbc and Debezium did before the setting existed). Its checks name the setting; no file's content is read here.
     */
    public static PostgresConnection postgres(SettingsReader env) {
        PostgresTls tls = PostgresTls.of(env.get(POSTGRES_SSLMODE), env.find(POSTGRES_SSLROOTCERT).orElse(null),
                env.find(POSTGRES_SSLCERT).orElse(null), env.find(POSTGRES_SSLKEY).orElse(null));
        return new PostgresConnection(env.get(POSTGRES_HOST), env.get(POSTGRES_PORT), env.get(POSTGRES_DB), env.get(POSTGRES_USER),
                env.get(POSTGRES_PASSWORD), tls);
    }

    /** Capture's own settings from {@code env}, with what capture shares with the other stages. */
    public static CaptureSettings read(SettingsReader env, PostgresConnection postgres, List<String> tables,
                                       List<SchemaRequirement> requirements, Map<String, String> kafkaClient, TopicNames topics,
                                       int maxMessageBytes) {
        return new CaptureSettings(postgres, env.get(SCHEMA), tables, requirements, env.get(HEARTBEAT_TABLE), env.get(SLOT_NAME),
                env.get(PUBLICATION_NAME), env.get(ENGINE_NAME), env.get(OFFSET_TOPIC), kafkaClient, topics, env.get(POLL_INTERVAL),
                env.get(HEARTBEAT_INTERVAL), maxMessageBytes);
    }

    public String bootstrapServers() {
        return kafkaClient.get("bootstrap.servers");
    }
}
