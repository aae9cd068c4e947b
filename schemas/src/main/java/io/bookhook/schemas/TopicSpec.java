package io.bookhook.schemas;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What one of bookhook's topics is, beyond its name: how its keys and values are written, whether it is compacted
 * (its latest record per key is state) or deletes (every record matters), whether it must have as many partitions as
 * the events topic, and the setting that renames it. Every reader, writer and the topic provisioning take these from
 * here instead of choosing a serde or a policy at each use. {@code byte[]} values are the ones a stage writes or reads
 * as it found them: capture's changes as Debezium wrote them, dead letters, and the sink's own index entries.
 */
public record TopicSpec<K, V>(String setting, Function<TopicNames, String> naming, Serde<K> keys, Serde<V> values, Cleanup cleanup,
                              boolean coPartitioned) {

    /** Kafka's {@code cleanup.policy} of a topic. */
    public enum Cleanup {
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT), DELETE(TopicConfig.CLEANUP_POLICY_DELETE);

        private final String policy;

        Cleanup(String policy) {
            this.policy = policy;
        }

        /** The value of {@code cleanup.policy}. */
        public String policy() {
            return policy;
        }
    }

    public static final TopicSpec<String, AppointmentEvent> APPOINTMENT_EVENTS = new TopicSpec<>("BOOKHOOK_TOPIC_EVENTS",
            TopicNames::appointmentEvents, Serdes.String(), JsonSerde.of(AppointmentEvent.class), Cleanup.DELETE, false);
    public static final TopicSpec<String, DeliveryRecord> DELIVERY_LEDGER = new TopicSpec<>("BOOKHOOK_TOPIC_LEDGER",
            TopicNames::deliveryLedger, Serdes.String(), JsonSerde.of(DeliveryRecord.class), Cleanup.COMPACT, false);
    /** Keys as the record that could not go on had them: capture's are bytes, the sink's text. */
    public static final TopicSpec<byte[], byte[]> DEAD_LETTER = new TopicSpec<>("BOOKHOOK_TOPIC_DEAD_LETTER",
            TopicNames::deadLetter, Serdes.ByteArray(), Serdes.ByteArray(), Cleanup.DELETE, false);
    /** On the events' partitions: the sink that delivers an appointment carries out its requests. */
    public static final TopicSpec<String, DeliveryRequest> DELIVERY_REQUESTS = new TopicSpec<>("BOOKHOOK_TOPIC_DELIVERY_REQUESTS",
            TopicNames::deliveryRequests, Serdes.String(), JsonSerde.of(DeliveryRequest.class), Cleanup.DELETE, true);
    /** The sink's own, on the events' partitions; its values are the sink's index entries, which only the sink reads. */
    public static final TopicSpec<String, byte[]> DELIVERY_INDEX = new TopicSpec<>("BOOKHOOK_TOPIC_DELIVERY_INDEX",
            TopicNames::deliveryIndex, Serdes.String(), Serdes.ByteArray(), Cleanup.COMPACT, true);
    public static final TopicSpec<String, EndpointControl> ENDPOINT_CONTROL = new TopicSpec<>("BOOKHOOK_TOPIC_ENDPOINT_CONTROL",
            TopicNames::endpointControl, Serdes.String(), JsonSerde.of(EndpointControl.class), Cleanup.COMPACT, false);
    public static final TopicSpec<String, EndpointReport> ENDPOINT_STATUS = new TopicSpec<>("BOOKHOOK_TOPIC_ENDPOINT_STATUS",
            TopicNames::endpointStatus, Serdes.String(), JsonSerde.of(EndpointReport.class), Cleanup.COMPACT, false);

    /** Every topic named by {@link TopicNames} alone, in the order the provisioning creates them after the change topics. */
    public static final List<TopicSpec<?, ?>> NAMED = List.of(APPOINTMENT_EVENTS, DELIVERY_LEDGER, DEAD_LETTER, DELIVERY_REQUESTS,
            DELIVERY_INDEX, ENDPOINT_CONTROL, ENDPOINT_STATUS);

    /** The change topic of the appointment table: every change is an event to derive, so none may be compacted away. */
    public static TopicSpec<byte[], byte[]> appointmentChanges(String table) {
        return changes(table, Cleanup.DELETE);
    }

    /** The change topic of a related table: derive only looks up a related row's latest state. */
    public static TopicSpec<byte[], byte[]> relatedChanges(String table) {
        return changes(table, Cleanup.COMPACT);
    }

    private static TopicSpec<byte[], byte[]> changes(String table, Cleanup cleanup) {
        return new TopicSpec<>("BOOKHOOK_TOPIC_CDC_PREFIX", names -> names.cdcTopic(table), Serdes.ByteArray(), Serdes.ByteArray(), cleanup,
                false);
    }

    public TopicSpec {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(cleanup, "cleanup");
    }

    /** This topic's name under {@code names}. */
    public String name(TopicNames names) {
        return naming.apply(names);
    }

    public boolean compacted() {
        return cleanup == Cleanup.COMPACT;
    }
}
