package io.bookhook.app;

import io.bookhook.runtime.settings.Setting;
import io.bookhook.schemas.RecordLimits;
import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The variables more than one stage reads, declared once: Kafka, the topics' names and layout, a stage's health and
 * metrics port, and the local state directory. {@link BookhookSettings} composes them with each module's own.
 */
final class SharedSettings {

    private static final TopicNames TOPICS = TopicNames.defaults();

    static final Setting<String> BOOTSTRAP_SERVERS = Setting.requiredText(Env.KAFKA_PREFIX + "BOOTSTRAP_SERVERS");
    /** How long a stage waits at start for Kafka to answer before it stops, naming the servers. */
    static final Setting<Duration> KAFKA_CONNECT_TIMEOUT = Setting.positiveDuration(Env.KAFKA_PREFIX + "CONNECT_TIMEOUT", Duration.ofSeconds(30));
    /**
     * The largest record capture, derive and the sink write, applied as their producers' {@code max.request.size}. At
     * least 64 KiB: derive keeps 32 KiB of it for the sink.
     */
    static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer(Env.KAFKA_PREFIX + "MAX_MESSAGE_BYTES",
            RecordLimits.DEFAULT_MAX_RECORD_BYTES, RecordLimits.MIN_MAX_RECORD_BYTES, Integer.MAX_VALUE);
    /** Refused in favour of {@link #MAX_MESSAGE_BYTES}, so the limit dead letters name is the one in force. */
    static final String MAX_REQUEST_SIZE = Env.KAFKA_PREFIX + "MAX_REQUEST_SIZE";
    /** bookhook's own settings under the Kafka prefix: not client properties. */
    static final Set<String> KAFKA_OWN = Set.of(KAFKA_CONNECT_TIMEOUT.name(), MAX_MESSAGE_BYTES.name());

    static final Setting<String> TOPIC_CDC_PREFIX = Setting.text("BOOKHOOK_TOPIC_CDC_PREFIX", TOPICS.cdcPrefix());
    static final Setting<String> TOPIC_EVENTS = Setting.text("BOOKHOOK_TOPIC_EVENTS", TOPICS.appointmentEvents());
    static final Setting<String> TOPIC_LEDGER = Setting.text("BOOKHOOK_TOPIC_LEDGER", TOPICS.deliveryLedger());
    static final Setting<String> TOPIC_DEAD_LETTER = Setting.text("BOOKHOOK_TOPIC_DEAD_LETTER", TOPICS.deadLetter());
    static final Setting<String> TOPIC_DELIVERY_REQUESTS = Setting.text("BOOKHOOK_TOPIC_DELIVERY_REQUESTS", TOPICS.deliveryRequests());
    static final Setting<String> TOPIC_DELIVERY_INDEX = Setting.text("BOOKHOOK_TOPIC_DELIVERY_INDEX", TOPICS.deliveryIndex());
    static final Setting<String> TOPIC_ENDPOINT_CONTROL = Setting.text("BOOKHOOK_TOPIC_ENDPOINT_CONTROL", TOPICS.endpointControl());
    static final Setting<String> TOPIC_ENDPOINT_STATUS = Setting.text("BOOKHOOK_TOPIC_ENDPOINT_STATUS", TOPICS.endpointStatus());

    static final Setting<Integer> TOPIC_PARTITIONS = Setting.integer("BOOKHOOK_TOPIC_PARTITIONS", 3, 1, 1000);
    /** Unset: the broker's {@code default.replication.factor}. */
    static final Setting<Integer> TOPIC_REPLICATION_FACTOR = Setting.integer("BOOKHOOK_TOPIC_REPLICATION_FACTOR", null,
            "the broker's `default.replication.factor`").must(factor -> factor >= 1 && factor <= Short.MAX_VALUE,
            "be between 1 and " + Short.MAX_VALUE);
    /** {@code forever} (empty) or a positive duration: how long the topics that delete keep records. */
    static final Setting<Optional<Duration>> TOPIC_RETENTION = Setting.retention("BOOKHOOK_TOPIC_RETENTION", null);

    /** A stage's health and metrics port; 0 turns it off. */
    static final Setting<Integer> ADMIN_PORT = Setting.integer("BOOKHOOK_ADMIN_PORT", 8080, 0, 65535);
    static final Setting<String> ADMIN_BIND = Setting.text("BOOKHOOK_ADMIN_BIND", "0.0.0.0");
    /** Where {@code bookhook admin} listens when neither {@code --bind} nor {@code BOOKHOOK_ADMIN_BIND} says. */
    static final String ADMIN_DEFAULT_BIND = "127.0.0.1";
    static final Setting<String> ADMIN_TOKEN = Setting.optionalText("BOOKHOOK_ADMIN_TOKEN", "").secret();
    static final Setting<String> ADMIN_READ_TOKEN = Setting.optionalText("BOOKHOOK_ADMIN_READ_TOKEN", "").secret();

    /** Derive's Kafka Streams stores and, under {@code sink/}, the sink's copy of the delivery index. */
    static final Setting<String> STATE_DIR = Setting.optionalText("BOOKHOOK_STATE_DIR", "~/.bookhook/state");

    static final List<Setting<?>> KAFKA = List.of(BOOTSTRAP_SERVERS);
    static final List<Setting<?>> TOPIC_NAMES = List.of(TOPIC_CDC_PREFIX, TOPIC_EVENTS, TOPIC_LEDGER, TOPIC_DEAD_LETTER,
            TOPIC_DELIVERY_REQUESTS, TOPIC_DELIVERY_INDEX, TOPIC_ENDPOINT_CONTROL, TOPIC_ENDPOINT_STATUS);
    static final List<Setting<?>> TOPIC_LAYOUT = List.of(TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR, TOPIC_RETENTION);
    static final List<Setting<?>> STAGE_PORT = List.of(ADMIN_PORT, ADMIN_BIND);
    /** {@code bookhook admin}'s own: who may use it and where it listens. */
    static final List<Setting<?>> ADMIN = List.of(ADMIN_TOKEN, ADMIN_READ_TOKEN, ADMIN_BIND);

    private SharedSettings() {
    }
}
