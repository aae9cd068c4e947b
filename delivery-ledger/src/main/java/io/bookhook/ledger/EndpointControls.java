package io.bookhook.ledger;

import io.bookhook.schemas.EndpointControl;
import io.bookhook.schemas.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Pauses and resumes endpoints through {@code bookhook.endpoint-control}: durable (every in-sync replica has it before
 * the call returns), obeyed by every sink instance, and kept across their restarts.
 */
public final class EndpointControls implements AutoCloseable {

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9-]{1,40}");

    private final String topic;
    private final String bootstrapServers;
    private final Clock clock;
    private final KafkaProducer<String, EndpointControl> producer;

    public EndpointControls(Map<String, String> kafkaClient, String topic, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.bootstrapServers = kafkaClient.getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000));
        config.putAll(kafkaClient);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bookhook-endpoint-controls");
        this.producer = new KafkaProducer<>(config, TopicSpec.ENDPOINT_CONTROL.keys().serializer(),
                TopicSpec.ENDPOINT_CONTROL.values().serializer());
    }

    public EndpointControl pause(String endpoint) {
        return set(endpoint, true);
    }

    public EndpointControl resume(String endpoint) {
        return set(endpoint, false);
    }

    private EndpointControl set(String endpoint, boolean paused) {
        if (endpoint == null || !NAME.matcher(endpoint).matches()) {
            throw OperatorException.invalid("'" + endpoint + "' is not an endpoint name ([a-z0-9-]{1,40})");
        }
        EndpointControl control = new EndpointControl(endpoint, paused, UUID.randomUUID().toString(), clock.instant());
        try {
            producer.send(new ProducerRecord<>(topic, endpoint, control)).get(Duration.ofSeconds(16).toMillis(), TimeUnit.MILLISECONDS);
            return control;
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw OperatorException.unavailable("the " + (paused ? "pause" : "resume") + " was not accepted by Kafka at " + bootstrapServers
                    + " (topic " + topic + "): " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted before Kafka acknowledged the " + (paused ? "pause" : "resume"), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
