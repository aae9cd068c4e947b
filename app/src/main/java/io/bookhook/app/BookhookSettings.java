package io.bookhook.app;

import io.bookhook.capture.CaptureSettings;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.capture.PostgresTls;
import io.bookhook.capture.SchemaRequirement;
import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.TableMapping;
import io.bookhook.schemas.RecordLimits;
import io.bookhook.schemas.TopicNames;
import io.bookhook.sink.CircuitSettings;
import io.bookhook.sink.EndpointsFile;
import io.bookhook.sink.SignatureMode;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.SinkSettingsBuilder;
import io.bookhook.sink.SinkVariables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads every stage's settings from environment variables (the seed's names where it had them, else BOOKHOOK_*). */
final class BookhookSettings {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BookhookSettings.class);

    private static final String TABLE_APPOINTMENT = "BOOKHOOK_TABLE_APPOINTMENT";
    private static final String TABLE_CUSTOMER = "BOOKHOOK_TABLE_CUSTOMER";
    private static final String TABLE_SALON = "BOOKHOOK_TABLE_SALON";
    private static final String TABLE_STYLIST = "BOOKHOOK_TABLE_STYLIST";
    private static final String TABLE_SERVICE = "BOOKHOOK_TABLE_SERVICE";
    private static final String COLUMN_ID = "BOOKHOOK_COLUMN_ID";
    private static final String COLUMN_STATUS = "BOOKHOOK_COLUMN_STATUS";
    private static final String COLUMN_CUSTOMER_ID = "BOOKHOOK_COLUMN_CUSTOMER_ID";
    private static final String COLUMN_SALON_ID = "BOOKHOOK_COLUMN_SALON_ID";
    private static final String COLUMN_STYLIST_ID = "BOOKHOOK_COLUMN_STYLIST_ID";
    private static final String COLUMN_SERVICE_ID = "BOOKHOOK_COLUMN_SERVICE_ID";
    private static final String COLUMN_PHONE = "BOOKHOOK_COLUMN_PHONE";
    /**
     * The payload parts whose table's id and phone columns can be named one table at a time:
     * BOOKHOOK_COLUMN_ID_&lt;PART&gt; and BOOKHOOK_COLUMN_PHONE_&lt;PART&gt; (BOOKHOOK_COLUMN_CUSTOMER_ID already names the
     * appointment's foreign key to the customer, hence the suffix).
     */
    private static final List<String> PARTS = List.of("APPOINTMENT", "CUSTOMER", "SALON", "STYLIST", "SERVICE");

    private final Env env;

    BookhookSettings(Map<String, String> environment) {
        this.env = new Env(environment);
    }

    Env env() {
        return env;
    }

    TopicNames topics() {
        TopicNames defaults = TopicNames.defaults();
        return new TopicNames(
                env.string("BOOKHOOK_TOPIC_CDC_PREFIX", defaults.cdcPrefix()),
                env.string("BOOKHOOK_TOPIC_EVENTS", defaults.appointmentEvents()),
                env.string("BOOKHOOK_TOPIC_LEDGER", defaults.deliveryLedger()),
                env.string("BOOKHOOK_TOPIC_DEAD_LETTER", defaults.deadLetter()),
                env.string("BOOKHOOK_TOPIC_DELIVERY_REQUESTS", defaults.deliveryRequests()),
                env.string("BOOKHOOK_TOPIC_DELIVERY_INDEX", defaults.deliveryIndex()),
                env.string("BOOKHOOK_TOPIC_ENDPOINT_CONTROL", defaults.endpointControl()),
                env.string("BOOKHOOK_TOPIC_ENDPOINT_STATUS", defaults.endpointStatus()));
    }

    /**
     * Partitions and replication factor of the topics a stage creates when they are missing. Without
     * BOOKHOOK_TOPIC_REPLICATION_FACTOR the broker's default.replication.factor applies.
     */
    TopicProvisioner.Layout topicLayout() {
        int partitions = env.integer("BOOKHOOK_TOPIC_PARTITIONS", 3, 1, 1000);
        int replicationFactor = env.integer("BOOKHOOK_TOPIC_REPLICATION_FACTOR", -1, 1, Short.MAX_VALUE);
        return new TopicProvisioner.Layout(partitions,
                replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor), topicRetention());
    }

    /** {@code BOOKHOOK_TOPIC_RETENTION}: {@code forever} (the default) or a positive duration. */
    private Optional<Duration> topicRetention() {
        String name = TopicProvisioner.RETENTION_SETTING;
        if (env.optional(name).map(value -> value.strip().equalsIgnoreCase("forever")).orElse(true)) {
            return Optional.empty();
        }
        Duration retention = env.duration(name, null);
        if (retention.isZero()) {
            throw new SettingsException(name + " must be forever or a positive duration, got '" + env.optional(name).orElseThrow() + "'");
        }
        return Optional.of(retention);
    }

    /** A stage's health and metrics port: {@code BOOKHOOK_ADMIN_PORT} (0 turns it off) on {@code BOOKHOOK_ADMIN_BIND}. */
    record StagePort(int port, String bind) {
        boolean enabled() {
            return port != 0;
        }
    }

    StagePort stagePort() {
        return new StagePort(env.integer("BOOKHOOK_ADMIN_PORT", 8080, 0, 65535), env.string("BOOKHOOK_ADMIN_BIND", "0.0.0.0"));
    }

    TableMapping tableMapping() {
        TableMapping d = TableMapping.referenceSchema();
        return new TableMapping(
                env.string(TABLE_APPOINTMENT, d.appointmentTable()),
                env.string(TABLE_CUSTOMER, d.customerTable()),
                env.string(TABLE_SALON, d.salonTable()),
                env.string(TABLE_STYLIST, d.stylistTable()),
                env.string(TABLE_SERVICE, d.serviceTable()),
                env.string(COLUMN_ID, d.idColumn()),
                env.string(COLUMN_STATUS, d.statusColumn()),
                env.string(COLUMN_CUSTOMER_ID, d.customerIdColumn()),
                env.string(COLUMN_SALON_ID, d.salonIdColumn()),
                env.string(COLUMN_STYLIST_ID, d.stylistIdColumn()),
                env.string(COLUMN_SERVICE_ID, d.serviceIdColumn()),
                env.string(COLUMN_PHONE, d.phoneColumn()),
                env.string("BOOKHOOK_STATUS_PENDING", d.pendingStatus()),
                env.string("BOOKHOOK_STATUS_CONFIRMED", d.confirmedStatus()),
                perTable(COLUMN_ID),
                perTable(COLUMN_PHONE));
    }

    /** The tables named in BOOKHOOK_TABLE_&lt;PART&gt; order: appointment, customer, salon, stylist, service. */
    private List<String> tables() {
        TableMapping d = TableMapping.referenceSchema();
        return List.of(env.string(TABLE_APPOINTMENT, d.appointmentTable()), env.string(TABLE_CUSTOMER, d.customerTable()),
                env.string(TABLE_SALON, d.salonTable()), env.string(TABLE_STYLIST, d.stylistTable()),
                env.string(TABLE_SERVICE, d.serviceTable()));
    }

    /**
     * The {@code <global>_<PART>} settings that are set, keyed by their part's table. Two parts in one table must not
     * name it two different columns.
     */
    private Map<String, String> perTable(String global) {
        List<String> tables = tables();
        Map<String, String> columns = new HashMap<>();
        Map<String, String> namedBy = new HashMap<>();
        for (int i = 0; i < PARTS.size(); i++) {
            String setting = global + "_" + PARTS.get(i);
            String table = tables.get(i);
            Optional<String> column = env.optional(setting);
            if (column.isEmpty()) {
                continue;
            }
            String earlier = columns.putIfAbsent(table, column.get());
            if (earlier != null && !earlier.equals(column.get())) {
                throw new SettingsException(setting + " names column '" + column.get() + "' of table " + table + ", which "
                        + namedBy.get(table) + " names '" + earlier + "'");
            }
            namedBy.putIfAbsent(table, setting);
        }
        return columns;
    }

    /** The setting that named a table's id or phone column: its own, when set, else the global one. */
    private String settingOf(String global, String table, Map<String, String> perTable) {
        if (!perTable.containsKey(table)) {
            return global;
        }
        List<String> tables = tables();
        for (int i = 0; i < PARTS.size(); i++) {
            String setting = global + "_" + PARTS.get(i);
            if (tables.get(i).equals(table) && env.optional(setting).isPresent()) {
                return setting;
            }
        }
        return global;
    }

    /**
     * Every table and column the mapping names, with the setting that named it. Phone columns are optional (a service
     * has none), except one named for its table alone: a misspelt one would send the real phone number unmasked.
     */
    List<SchemaRequirement> schemaRequirements() {
        TableMapping m = tableMapping();
        List<SchemaRequirement> requirements = new ArrayList<>();
        requirements.add(SchemaRequirement.table(m.appointmentTable(), TABLE_APPOINTMENT));
        requirements.add(SchemaRequirement.table(m.customerTable(), TABLE_CUSTOMER));
        requirements.add(SchemaRequirement.table(m.salonTable(), TABLE_SALON));
        requirements.add(SchemaRequirement.table(m.stylistTable(), TABLE_STYLIST));
        requirements.add(SchemaRequirement.table(m.serviceTable(), TABLE_SERVICE));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.appointmentIdColumn(),
                settingOf(COLUMN_ID, m.appointmentTable(), m.idColumns())));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.statusColumn(), COLUMN_STATUS));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.customerIdColumn(), COLUMN_CUSTOMER_ID));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.salonIdColumn(), COLUMN_SALON_ID));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.stylistIdColumn(), COLUMN_STYLIST_ID));
        requirements.add(SchemaRequirement.column(m.appointmentTable(), m.serviceIdColumn(), COLUMN_SERVICE_ID));
        for (TableMapping.Relation relation : m.relations()) {
            requirements.add(SchemaRequirement.column(relation.table(), m.idColumnOf(relation.table()),
                    settingOf(COLUMN_ID, relation.table(), m.idColumns())));
        }
        for (String table : m.capturedTables()) {
            if (m.phoneColumns().containsKey(table)) {
                requirements.add(SchemaRequirement.column(table, m.phoneColumnOf(table), settingOf(COLUMN_PHONE, table, m.phoneColumns())));
            }
        }
        return requirements.stream().distinct().toList();
    }

    PostgresConnection postgres() {
        return new PostgresConnection(
                env.required("BOOKHOOK_POSTGRES_HOST"),
                env.integer("BOOKHOOK_POSTGRES_PORT", 5432, 1, 65535),
                env.required("BOOKHOOK_POSTGRES_DB"),
                env.required("BOOKHOOK_POSTGRES_USER"),
                env.required("BOOKHOOK_POSTGRES_PASSWORD"),
                postgresTls());
    }

    /** BOOKHOOK_POSTGRES_SSLMODE, by default prefer (what pgjdbc and Debezium did before it existed), and its certificate files. */
    private PostgresTls postgresTls() {
        try {
            return PostgresTls.of(env.string(PostgresTls.SSLMODE_SETTING, PostgresTls.DEFAULT.mode().value()),
                    env.optional(PostgresTls.SSLROOTCERT_SETTING).orElse(null), env.optional(PostgresTls.SSLCERT_SETTING).orElse(null),
                    env.optional(PostgresTls.SSLKEY_SETTING).orElse(null));
        } catch (IllegalArgumentException e) {
            // The checks name the setting; file names are not secrets, and no file's content is read here.
            throw new SettingsException(e.getMessage());
        }
    }

    CaptureSettings capture() {
        return new CaptureSettings(
                postgres(),
                env.string("BOOKHOOK_POSTGRES_SCHEMA", "public"),
                tableMapping().capturedTables(),
                schemaRequirements(),
                env.string("BOOKHOOK_HEARTBEAT_TABLE", "bookhook_heartbeat"),
                env.string("BOOKHOOK_SLOT_NAME", "bookhook"),
                env.string("BOOKHOOK_PUBLICATION_NAME", "bookhook"),
                env.string("BOOKHOOK_CAPTURE_NAME", "bookhook-capture"),
                env.string("BOOKHOOK_CAPTURE_OFFSET_TOPIC", "bookhook.capture-offsets"),
                env.kafkaClient(),
                topics(),
                env.duration("BOOKHOOK_CAPTURE_POLL_INTERVAL", Duration.ofMillis(10)),
                env.duration("BOOKHOOK_HEARTBEAT_INTERVAL", Duration.ofSeconds(10)),
                maxMessageBytes());
    }

    /**
     * The largest record capture, derive and the sink write, applied as their producers' {@code max.request.size}: a
     * change or event over it is dead-lettered instead of stopping the stage (derive's limit for events is lower, so the
     * sink's records of an event fit too). Kafka's {@code max.request.size} itself is not taken through BOOKHOOK_KAFKA_*,
     * so the limit the dead letters name is the one in force. At least 64 KiB: derive keeps 32 KiB of it for the sink.
     */
    int maxMessageBytes() {
        if (env.optional(Env.KAFKA_PREFIX + "MAX_REQUEST_SIZE").isPresent()) {
            throw new SettingsException(Env.KAFKA_PREFIX + "MAX_REQUEST_SIZE is set: set " + Env.MAX_MESSAGE_BYTES
                    + " instead (capture, derive and the sink apply it as max.request.size)");
        }
        return env.integer(Env.MAX_MESSAGE_BYTES, CaptureSettings.DEFAULT_MAX_MESSAGE_BYTES, RecordLimits.MIN_MAX_RECORD_BYTES, Integer.MAX_VALUE);
    }

    /** The Kafka client settings with {@code max.request.size} from {@link #maxMessageBytes()}, for a producer's stage. */
    private Map<String, String> kafkaClientWithMessageLimit() {
        Map<String, String> kafkaClient = new HashMap<>(env.kafkaClient());
        kafkaClient.put("max.request.size", Integer.toString(maxMessageBytes()));
        return kafkaClient;
    }

    DeriveSettings derive() {
        // Kafka Streams hands max.request.size to its producer only; derive's size guard reads it from here too.
        return new DeriveSettings(
                env.string("BOOKHOOK_DERIVE_APPLICATION_ID", "bookhook-derive"),
                kafkaClientWithMessageLimit(),
                topics(),
                tableMapping(),
                env.duration("BOOKHOOK_RELATED_ROW_GRACE", Duration.ofSeconds(10)),
                env.duration("BOOKHOOK_DERIVE_COMMIT_INTERVAL", Duration.ofMillis(20)),
                stateDir(),
                env.duration("BOOKHOOK_DERIVE_STATE_RETENTION", Duration.ofDays(90)));
    }

    /**
     * Local state of derive (Kafka Streams stores) and of the sink (its copy of the delivery index, under sink/). By
     * default under the user's home, not the OS temp directory: that one may be cleared under a running stage (Kafka
     * Streams warns about it at every start), and a restart would then rebuild its stores from Kafka.
     */
    private Path stateDir() {
        return env.optional(SinkVariables.STATE_DIR).map(Path::of).orElseGet(BookhookSettings::defaultStateDir);
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
        Duration timeout = env.duration(Env.CONNECT_TIMEOUT, DEFAULT_KAFKA_CONNECT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new SettingsException(Env.CONNECT_TIMEOUT + " must be a positive duration, got '" + env.optional(Env.CONNECT_TIMEOUT).orElseThrow() + "'");
        }
        return timeout;
    }

    static final Duration DEFAULT_KAFKA_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The sink's settings. Its endpoints come from BOOKHOOK_ENDPOINTS_FILE when that is set (then the seed's
     * MAKE_WEBHOOK_URL and friends are not read), else the one endpoint {@code make} from the seed's settings.
     */
    SinkSettings sink() {
        SinkSettingsBuilder builder;
        try {
            builder = env.optional(SinkVariables.ENDPOINTS_FILE).map(this::fileEndpoints).orElseGet(this::seedEndpoint);
        } catch (IllegalArgumentException e) {
            // The file's checks name the endpoint and key to fix; their messages never carry secret values.
            throw new SettingsException(e.getMessage());
        }
        builder.allowPrivateTargets(env.bool(SinkVariables.ALLOW_PRIVATE_TARGETS, false))
                .connectTimeout(env.duration(SinkVariables.CONNECT_TIMEOUT, SinkSettings.DEFAULT_CONNECT_TIMEOUT))
                .requestTimeout(env.duration(SinkVariables.REQUEST_TIMEOUT, SinkSettings.DEFAULT_REQUEST_TIMEOUT))
                .maxAttempts(env.integer(SinkVariables.RETRY_MAX_ATTEMPTS, SinkSettings.DEFAULT_MAX_ATTEMPTS, 1, 1000))
                .firstBackoff(env.duration(SinkVariables.RETRY_FIRST_INTERVAL, SinkSettings.DEFAULT_FIRST_BACKOFF))
                .retryMultiplier(env.decimal(SinkVariables.RETRY_MULTIPLIER, SinkSettings.DEFAULT_RETRY_MULTIPLIER, 1, 100))
                .maxBackoff(env.duration(SinkVariables.RETRY_MAX_INTERVAL, SinkSettings.DEFAULT_RETRY_MAX_INTERVAL))
                .retryJitter(env.decimal(SinkVariables.RETRY_JITTER, SinkSettings.DEFAULT_RETRY_JITTER, 0, 0.99))
                .maxRetryAfter(env.duration(SinkVariables.RETRY_AFTER_MAX, SinkSettings.DEFAULT_MAX_RETRY_AFTER))
                .goneHold(env.duration(SinkVariables.GONE_HOLD, SinkSettings.DEFAULT_GONE_HOLD))
                .topics(topics())
                .groupId(env.string(SinkVariables.GROUP_ID, SinkSettings.DEFAULT_GROUP_ID))
                .maxBuffered(env.integer(SinkVariables.MAX_BUFFERED, SinkSettings.DEFAULT_MAX_BUFFERED, 1, 1_000_000))
                .commitInterval(env.duration(SinkVariables.COMMIT_INTERVAL, SinkSettings.DEFAULT_COMMIT_INTERVAL))
                .stateDir(stateDir().resolve("sink"))
                .salonIdColumn(tableMapping().salonIdColumn());
        env.optional(SinkVariables.INSTANCE_ID).ifPresent(builder::instanceId);
        try {
            builder.circuit(new CircuitSettings(
                    env.integer(SinkVariables.CIRCUIT_WINDOW, CircuitSettings.DEFAULT.window(), 1, 10_000),
                    env.integer(SinkVariables.CIRCUIT_FAILURE_RATE, CircuitSettings.DEFAULT.failureRatePercent(), 1, 100),
                    env.duration(SinkVariables.CIRCUIT_PROBE_INTERVAL, CircuitSettings.DEFAULT.probeInterval())));
            return builder.build();
        } catch (IllegalArgumentException e) {
            // The sink's own checks name the variable to fix; their messages never carry secret values.
            throw new SettingsException(e.getMessage());
        }
    }

    /** The endpoints of BOOKHOOK_ENDPOINTS_FILE; the seed's target, when still set, is named as not used (one line). */
    private SinkSettingsBuilder fileEndpoints(String file) {
        List<String> ignored = java.util.stream.Stream.of(SinkVariables.WEBHOOK_URL, SinkVariables.SECRET)
                .filter(name -> env.optional(name).isPresent()).toList();
        if (!ignored.isEmpty()) {
            LOG.warn("{} is set, so {} {} not used: name the receiver in the file to keep posting there", SinkVariables.ENDPOINTS_FILE,
                    String.join(" and ", ignored), ignored.size() == 1 ? "is" : "are");
        }
        return SinkSettings.builder(kafkaClientWithMessageLimit()).endpoints(EndpointsFile.read(Path.of(file), env::optional));
    }

    /** The seed's one endpoint: MAKE_WEBHOOK_URL, MAKE_WEBHOOK_SECRET, BOOKHOOK_SIGNATURE_MODE, its secrets, BOOKHOOK_MAX_IN_FLIGHT. */
    private SinkSettingsBuilder seedEndpoint() {
        SignatureMode mode = signatureMode();
        List<String> standardSecrets = env.list(SinkVariables.STANDARD_SECRETS);
        if (mode != SignatureMode.MAKE && standardSecrets.isEmpty()) {
            throw new SettingsException("BOOKHOOK_STANDARD_WEBHOOK_SECRETS is not set (needed when BOOKHOOK_SIGNATURE_MODE is "
                    + mode.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return SinkSettings.builder(env.httpUrl(SinkVariables.WEBHOOK_URL), env.required(SinkVariables.SECRET), kafkaClientWithMessageLimit())
                .signatureMode(mode)
                .standardSecrets(standardSecrets)
                .maxInFlight(env.integer(SinkVariables.MAX_IN_FLIGHT, SinkSettings.DEFAULT_MAX_IN_FLIGHT, 1, SinkSettings.MAX_MAX_IN_FLIGHT));
    }

    private SignatureMode signatureMode() {
        String raw = env.string(SinkVariables.SIGNATURE_MODE, SinkSettings.DEFAULT_SIGNATURE_MODE.name());
        try {
            return SignatureMode.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("BOOKHOOK_SIGNATURE_MODE must be make, standard or both, got '" + raw + "'");
        }
    }
}
