package io.bookhook.ledger;

import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics of one test on the shared real broker, and the plain clients a test writes the ledger and reads requests with. */
public final class BrokerFixture {

    public final EmbeddedKafka kafka = SharedEmbeddedStack.get().kafka();
    public final TopicNames topics = TopicNames.prefixed(SharedEmbeddedStack.uniqueName("ledger"));

    public BrokerFixture() {
        kafka.createTopic(topics.deliveryLedger(), 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deliveryRequests(), 3, Map.of());
        kafka.createTopic(topics.appointmentEvents(), 3, Map.of());
        kafka.createTopic(topics.deliveryIndex(), 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointControl(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointStatus(), 1, Map.of("cleanup.policy", "compact"));
    }

    public Map<String, String> client() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    /** Writes ledger records as the sink does: in a committed transaction, keyed by delivery id. */
    public void writeLedger(DeliveryRecord... records) {
        try (KafkaProducer<String, DeliveryRecord> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (DeliveryRecord record : records) {
                producer.send(new ProducerRecord<>(topics.deliveryLedger(), record.deliveryId(), record));
            }
            producer.commitTransaction();
        }
    }

    public KafkaProducer<String, DeliveryRecord> transactionalProducer() {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-sink-" + UUID.randomUUID());
        return new KafkaProducer<>(config, new StringSerializer(), JsonSerde.of(DeliveryRecord.class).serializer());
    }

    /** Every request on the requests topic so far, with its key. */
    public List<ConsumerRecord<String, DeliveryRequest>> requests() {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, DeliveryRequest> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(DeliveryRequest.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.deliveryRequests()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, DeliveryRequest>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue()) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
            return read;
        }
    }
}
