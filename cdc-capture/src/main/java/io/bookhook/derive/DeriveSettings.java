package io.bookhook.derive;

import io.bookhook.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What the derive topology needs: Kafka, topic names, the table mapping and how long to wait for related rows. */
public record DeriveSettings(
        String applicationId,
        Map<String, String> kafkaClient,
        TopicNames topics,
        TableMapping mapping,
        Duration relatedRowGrace,
        Duration commitInterval,
        Path stateDir) {

    public DeriveSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        kafkaClient = Map.copyOf(kafkaClient);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(relatedRowGrace, "relatedRowGrace");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(stateDir, "stateDir");
        if (relatedRowGrace.isNegative()) {
            throw new IllegalArgumentException("related-row grace must not be negative");
        }
    }
}
