package io.bookhook.capture;

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
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
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

    public String bootstrapServers() {
        return kafkaClient.get("bootstrap.servers");
    }
}
