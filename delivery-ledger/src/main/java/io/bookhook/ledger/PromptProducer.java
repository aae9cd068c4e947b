package io.bookhook.ledger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings of the operators' writes ({@link DeliveryRequests}): a write counts only once
 * every in-sync replica has it ({@code acks=all}, idempotent, so a retried send is not written twice), and an unreachable
 * Kafka is an answer within seconds rather than minutes.
 */
final class PromptProducer {

    /** Bounds that make "Kafka unreachable" an answer within seconds; the user's client properties may override them. */
    private static final Map<String, Object> PROMPT_FAILURE = Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);

    private PromptProducer() {
    }

    /** The user's client properties over the prompt-failure bounds, with {@code acks=all} and idempotence whatever they say. */
    static Map<String, Object> config(Map<String, String> kafkaClient, String clientId) {
        Map<String, Object> config = new HashMap<>(PROMPT_FAILURE);
        config.putAll(kafkaClient);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** The longest a send under {@code config} can take before the producer itself gives up: blocked, then delivering. */
    static Duration sendTimeout(Map<String, Object> config) {
        return Duration.ofMillis(Long.parseLong(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString())
                + Long.parseLong(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString()));
    }

    static String bootstrapServers(Map<String, String> kafkaClient) {
        return kafkaClient.getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
    }
}
