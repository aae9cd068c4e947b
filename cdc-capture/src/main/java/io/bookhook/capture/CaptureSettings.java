package io.bookhook.capture;

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
        Duration heartbeatInterval) {

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
    }

    public String bootstrapServers() {
        return kafkaClient.get("bootstrap.servers");
    }
}
