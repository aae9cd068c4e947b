package io.bookhook.ledger;

import io.bookhook.runtime.Causes;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes ledger records on an operator's behalf (a customer's payloads erased) to the compacted ledger, keyed by delivery
 * id like the sink's, so each replaces the delivery's latest record. Not transactional: each record stands alone, and
 * the ledger's readers read committed records, which these are once acknowledged by every in-sync replica.
 */
public final class LedgerWriter implements LedgerPublisher, AutoCloseable {

    private final String topic;
    private final String bootstrapServers;
    private final Duration sendTimeout;
    private final KafkaProducer<String, DeliveryRecord> producer;

    public LedgerWriter(Map<String, String> kafkaClient, String topic) {
        this.topic = topic;
        this.bootstrapServers = PromptProducer.bootstrapServers(kafkaClient);
        Map<String, Object> config = PromptProducer.config(kafkaClient, "bookhook-operator-ledger");
        this.sendTimeout = PromptProducer.sendTimeout(config);
        this.producer = new KafkaProducer<>(config, TopicSpec.DELIVERY_LEDGER.keys().serializer(),
                TopicSpec.DELIVERY_LEDGER.values().serializer());
    }

    /** Sends every record, then waits for each acknowledgement. */
    @Override
    public void write(List<DeliveryRecord> records) {
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (DeliveryRecord record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record.deliveryId(), record)));
            }
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            for (Future<RecordMetadata> one : sent) {
                one.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw OperatorException.unavailable("Kafka at " + bootstrapServers + " did not accept the ledger records (topic " + topic
                    + "): " + Causes.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted before Kafka acknowledged the ledger records", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
