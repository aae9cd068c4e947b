package io.bookhook.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    private static Path runDir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        runDir = StaleRunCleaner.newRunDir(StaleRunCleaner.defaultBase());
        kafka = EmbeddedKafka.start(runDir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
        Directories.deleteQuietly(runDir);
    }

    @Test
    void transactionalRecordIsVisibleToReadCommittedConsumer() throws Exception {
        String topic = SharedEmbeddedStack.uniqueName("tx");
        kafka.createTopic(topic, 1, Map.of());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka, topic + "-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted")).get();
            producer.abortTransaction();
        }

        Properties props = consumerProps(kafka, SharedEmbeddedStack.uniqueName("g"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            List<String> values = pollValues(consumer, 1);
            // One more short poll: the aborted record must never show up.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            assertThat(values).containsExactly("committed");
        }
    }

    @Test
    void consumerGroupCommitsOffsets() throws Exception {
        String topic = SharedEmbeddedStack.uniqueName("offsets");
        String group = SharedEmbeddedStack.uniqueName("group");
        kafka.createTopic(topic, 2, Map.of());
        kafka.createTopic(topic, 2, Map.of()); // idempotent: an existing topic is fine

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka, null))) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka, group))) {
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 3)).containsExactly("v0", "v1", "v2");
            consumer.commitSync();
        }
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(3);
        }
    }

    @Test
    void restartKeepsDataAndAddress() throws Exception {
        Path dir = runDir.resolve("restartable");
        try (EmbeddedKafka own = EmbeddedKafka.start(dir)) {
            String address = own.bootstrapServers();
            own.createTopic("survives", 1, Map.of());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(own, null))) {
                producer.send(new ProducerRecord<>("survives", "k", "before-restart")).get();
            }
            own.stop();
            assertThat(own.isRunning()).isFalse();
            own.restart();
            assertThat(own.bootstrapServers()).isEqualTo(address);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(own, "after-restart"))) {
                consumer.subscribe(List.of("survives"));
                assertThat(pollValues(consumer, 1)).containsExactly("before-restart");
            }
        }
        assertThat(dir).doesNotExist();
    }

    static Properties producerProps(EmbeddedKafka kafka, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    static Properties consumerProps(EmbeddedKafka kafka, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return p;
    }

    static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        return values;
    }
}
