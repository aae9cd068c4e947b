package io.bookhook.ledger;

import io.bookhook.runtime.Causes;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes operator requests to {@code bookhook.delivery-requests}, where the sink picks them up whether or not it
 * runs right now. A request counts as made only once every in-sync replica has it ({@code acks=all}, idempotent
 * producer, so a retried send is not written twice); until then the caller gets an error, never a silent loss.
 */
public final class DeliveryRequests implements RequestPublisher, AutoCloseable {

    /** Bounds that make "Kafka unreachable" an answer within seconds; the user's client properties may override them. */
    private static final Map<String, Object> PROMPT_FAILURE = Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);

    private final String topic;
    private final String bootstrapServers;
    private final Duration sendTimeout;
    private final KafkaProducer<String, DeliveryRequest> producer;

    public DeliveryRequests(Map<String, String> kafkaClient, String topic) {
        this.topic = topic;
        this.bootstrapServers = kafkaClient.getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
        Map<String, Object> config = new HashMap<>(PROMPT_FAILURE);
        config.putAll(kafkaClient);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bookhook-operator-requests");
        this.sendTimeout = Duration.ofMillis(Long.parseLong(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString())
                + Long.parseLong(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString()));
        this.producer = new KafkaProducer<>(config, TopicSpec.DELIVERY_REQUESTS.keys().serializer(),
                TopicSpec.DELIVERY_REQUESTS.values().serializer());
    }

    /** Sends the request and waits for the acknowledgement. */
    @Override
    public Submitted publish(DeliveryRequest request) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, request.kafkaKey(), request))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Submitted(request, written.partition(), written.offset());
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw OperatorException.unavailable("the request was not accepted by Kafka at " + bootstrapServers + " (topic " + topic
                    + "): " + Causes.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted before Kafka acknowledged the request", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
