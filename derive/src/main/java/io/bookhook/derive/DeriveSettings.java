package io.bookhook.derive;

import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
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

    public DeriveSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        kafkaClient = Map.copyOf(kafkaClient);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(relatedRowGrace, "relatedRowGrace");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(stateRetention, "stateRetention");
        if (relatedRowGrace.isNegative()) {
            throw new IllegalArgumentException("related-row grace must not be negative");
        }
        if (stateRetention.isNegative()) {
            throw new IllegalArgumentException("state retention must not be negative");
        }
    }
}
