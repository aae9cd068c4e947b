package io.bookhook.app;

import io.bookhook.capture.CaptureSettings;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.capture.SchemaRequirement;
import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.TableMapping;
import io.bookhook.derive.TableMappingSettings;
import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.runtime.settings.Setting;
import io.bookhook.schemas.TopicNames;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.SinkVariables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Composes the settings each module declares ({@link CaptureSettings}, {@link TableMappingSettings},
 * {@link DeriveSettings}, {@link SinkVariables}, {@link SharedSettings}) into what a stage or command reads; a missing or
 * malformed one stops it with a {@link SettingsException} naming the variable.
 */
final class BookhookSettings {

    /**
     * Which declared variables each reader of settings reads: the three stages (their own settings, the topics every stage
     * ensures, its health and metrics port), the mock receiver, backfill, replay, and the other operator commands (Kafka and
     * the topics). The README's configuration table says the same, and a test holds the two together.
     */
    static final Map<String, List<Setting<?>>> DECLARED_BY_READER = declaredByReader();

    private final Env env;

    BookhookSettings(Map<String, String> environment) {
        this.env = new Env(environment);
    }

    private static Map<String, List<Setting<?>>> declaredByReader() {
        List<Setting<?>> stageCommon = concat(SharedSettings.KAFKA, List.of(SharedSettings.MAX_MESSAGE_BYTES, SharedSettings.KAFKA_CONNECT_TIMEOUT),
                SharedSettings.TOPIC_NAMES, SharedSettings.TOPIC_LAYOUT, SharedSettings.STAGE_PORT, TableMappingSettings.DECLARED);
        Map<String, List<Setting<?>>> readers = new LinkedHashMap<>();
        readers.put("capture", concat(CaptureSettings.DECLARED, stageCommon));
        readers.put("derive", concat(DeriveSettings.DECLARED, List.of(SharedSettings.STATE_DIR), stageCommon));
        readers.put("sink", concat(SinkVariables.DECLARED, List.of(SharedSettings.STATE_DIR), stageCommon));
        readers.put("mock-receiver", List.of(SinkVariables.SECRET, SinkVariables.STANDARD_SECRETS));
        readers.put("backfill", concat(CaptureSettings.POSTGRES, TableMappingSettings.DECLARED, List.of(TableMappingSettings.CREATED_AT_COLUMN,
                SharedSettings.MAX_MESSAGE_BYTES), SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        readers.put("replay", concat(List.of(SinkVariables.GROUP_ID), SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        readers.put("operators", concat(SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        // resend rebuilds a payload the ledger no longer holds from the rows, as backfill derives them, when Postgres is named.
        readers.put("resend", concat(CaptureSettings.POSTGRES, TableMappingSettings.DECLARED, List.of(TableMappingSettings.CREATED_AT_COLUMN),
                SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        // forget finds a customer in payloads by the columns the mapping names.
        readers.put("forget", concat(TableMappingSettings.DECLARED, SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        readers.put("admin", concat(SharedSettings.ADMIN, SharedSettings.KAFKA, SharedSettings.TOPIC_NAMES));
        return java.util.Collections.unmodifiableMap(readers);
    }

    @SafeVarargs
    private static List<Setting<?>> concat(List<Setting<?>>... lists) {
        return Stream.of(lists).flatMap(List::stream).distinct().toList();
    }

    Env env() {
        return env;
    }

    TopicNames topics() {
        return new TopicNames(env.get(SharedSettings.TOPIC_CDC_PREFIX), env.get(SharedSettings.TOPIC_EVENTS),
                env.get(SharedSettings.TOPIC_LEDGER), env.get(SharedSettings.TOPIC_DEAD_LETTER),
                env.get(SharedSettings.TOPIC_DELIVERY_REQUESTS), env.get(SharedSettings.TOPIC_DELIVERY_INDEX),
                env.get(SharedSettings.TOPIC_ENDPOINT_CONTROL), env.get(SharedSettings.TOPIC_ENDPOINT_STATUS));
    }

    /**
     * Partitions, replication factor and retention of the topics a stage creates when they are missing. Without
     * BOOKHOOK_TOPIC_REPLICATION_FACTOR the broker's default.replication.factor applies.
     */
    TopicProvisioner.Layout topicLayout() {
        int partitions = env.get(SharedSettings.TOPIC_PARTITIONS);
        Optional<Short> replicationFactor = env.find(SharedSettings.TOPIC_REPLICATION_FACTOR).map(Integer::shortValue);
        return new TopicProvisioner.Layout(partitions, replicationFactor, env.get(SharedSettings.TOPIC_RETENTION));
    }

    /** A stage's health and metrics port: {@code BOOKHOOK_ADMIN_PORT} (0 turns it off) on {@code BOOKHOOK_ADMIN_BIND}. */
    record StagePort(int port, String bind) {
        boolean enabled() {
            return port != 0;
        }
    }

    StagePort stagePort() {
        return new StagePort(env.get(SharedSettings.ADMIN_PORT), env.get(SharedSettings.ADMIN_BIND));
    }

    private TableMappingSettings mappingSettings() {
        return new TableMappingSettings(env.reader());
    }

    /**
     * Who may use {@code bookhook admin}: the holder of {@code BOOKHOOK_ADMIN_TOKEN} everything, of
     * {@code BOOKHOOK_ADMIN_READ_TOKEN} reading only; neither set, anyone who reaches it (then it listens on loopback only).
     * The values are never echoed.
     */
    AdminAccess adminAccess() {
        Optional<String> operator = env.reader().find(SharedSettings.ADMIN_TOKEN);
        Optional<String> read = env.reader().find(SharedSettings.ADMIN_READ_TOKEN);
        String operatorName = SharedSettings.ADMIN_TOKEN.name();
        String readName = SharedSettings.ADMIN_READ_TOKEN.name();
        if (operator.isEmpty()) {
            if (read.isPresent()) {
                throw new SettingsException(readName + " is set without " + operatorName + ": set the operator token too");
            }
            return AdminAccess.open();
        }
        if (read.equals(operator)) {
            throw new SettingsException(readName + " is the same as " + operatorName + ": give read-only users a token of their own");
        }
        return AdminAccess.withTokens(operator.get(), read);
    }

    /** Where {@code bookhook admin} listens unless {@code --bind} says: {@code BOOKHOOK_ADMIN_BIND}, else loopback. */
    String adminBind() {
        return env.reader().find(SharedSettings.ADMIN_BIND).orElse(SharedSettings.ADMIN_DEFAULT_BIND);
    }

    TableMapping tableMapping() {
        return Env.checked(() -> mappingSettings().mapping());
    }

    /** Every table and column the mapping names, with the setting that named it. */
    List<SchemaRequirement> schemaRequirements() {
        return Env.checked(() -> mappingSettings().namedTablesAndColumns().stream()
                .map(named -> new SchemaRequirement(named.table(), named.column(), named.setting())).toList());
    }

    /** Backfill's: the appointment column that says when a booking was made. */
    String createdAtColumn() {
        return env.get(TableMappingSettings.CREATED_AT_COLUMN);
    }

    /** Whether a Postgres is named (BOOKHOOK_POSTGRES_HOST set): what resend needs to rebuild a payload. */
    boolean hasPostgres() {
        return env.reader().find(CaptureSettings.POSTGRES_HOST).isPresent();
    }

    PostgresConnection postgres() {
        return Env.checked(() -> CaptureSettings.postgres(env.reader()));
    }

    /** The schema of the booking tables. */
    String postgresSchema() {
        return env.get(CaptureSettings.SCHEMA);
    }

    CaptureSettings capture() {
        PostgresConnection postgres = postgres();
        TableMapping mapping = tableMapping();
        List<SchemaRequirement> requirements = schemaRequirements();
        Map<String, String> kafkaClient = env.kafkaClient();
        TopicNames topics = topics();
        int maxMessageBytes = maxMessageBytes();
        return Env.checked(() -> CaptureSettings.read(env.reader(), postgres, mapping.capturedTables(), requirements, kafkaClient, topics,
                maxMessageBytes));
    }

    /**
     * The largest record capture, derive and the sink write, applied as their producers' {@code max.request.size}: a
     * change or event over it is dead-lettered instead of stopping the stage (derive's limit for events is lower, so the
     * sink's records of an event fit too). Kafka's {@code max.request.size} itself is not taken through BOOKHOOK_KAFKA_*,
     * so the limit the dead letters name is the one in force.
     */
    int maxMessageBytes() {
        if (env.optional(SharedSettings.MAX_REQUEST_SIZE).isPresent()) {
            throw new SettingsException(SharedSettings.MAX_REQUEST_SIZE + " is set: set " + SharedSettings.MAX_MESSAGE_BYTES
                    + " instead (capture, derive and the sink apply it as max.request.size)");
        }
        return env.get(SharedSettings.MAX_MESSAGE_BYTES);
    }

    /** The Kafka client settings with {@code max.request.size} from {@link #maxMessageBytes()}, for a producer's stage. */
    private Map<String, String> kafkaClientWithMessageLimit() {
        Map<String, String> kafkaClient = new HashMap<>(env.kafkaClient());
        kafkaClient.put("max.request.size", Integer.toString(maxMessageBytes()));
        return kafkaClient;
    }

    DeriveSettings derive() {
        // Kafka Streams hands max.request.size to its producer only; derive's size guard reads it from here too.
        Map<String, String> kafkaClient = kafkaClientWithMessageLimit();
        TopicNames topics = topics();
        TableMapping mapping = tableMapping();
        Path stateDir = stateDir();
        return Env.checked(() -> DeriveSettings.read(env.reader(), kafkaClient, topics, mapping, stateDir));
    }

    /**
     * Local state of derive (Kafka Streams stores) and of the sink (its copy of the delivery index, under sink/). By
     * default under the user's home, not the OS temp directory: that one may be cleared under a running stage (Kafka
     * Streams warns about it at every start), and a restart would then rebuild its stores from Kafka.
     */
    private Path stateDir() {
        return env.find(SharedSettings.STATE_DIR).map(Path::of).orElseGet(BookhookSettings::defaultStateDir);
    }

    /**
     * {@code $HOME/.bookhook/state}; where the user has no home (a container's user without a passwd entry: Java then
     * says {@code ?}), {@code bookhook-state} under the OS temp directory.
     */
    static Path defaultStateDir() {
        String home = System.getProperty("user.home", "");
        if (!home.isBlank() && Path.of(home).isAbsolute()) {
            return Path.of(home, ".bookhook", "state");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "bookhook-state");
    }

    /** How long a stage waits at start for Kafka to answer before it stops, naming the servers: {@code BOOKHOOK_KAFKA_CONNECT_TIMEOUT}. */
    Duration kafkaConnectTimeout() {
        return env.get(SharedSettings.KAFKA_CONNECT_TIMEOUT);
    }

    /** The sink's settings (see {@link SinkSettings#read}). */
    SinkSettings sink() {
        Map<String, String> kafkaClient = kafkaClientWithMessageLimit();
        TopicNames topics = topics();
        Path stateDir = stateDir().resolve("sink");
        String salonIdColumn = tableMapping().salonIdColumn();
        return Env.checked(() -> SinkSettings.read(env.reader(), kafkaClient, topics, stateDir, salonIdColumn));
    }

    /** The sink's consumer group, whose offsets a replay moves. */
    String sinkGroupId() {
        return env.get(SinkVariables.GROUP_ID);
    }
}
