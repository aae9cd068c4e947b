package io.bookhook.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

/** Topics of one test on the shared broker, the environment the commands read, and a way to run a command and read its output. */
final class OperatorFixture {

    final EmbeddedKafka kafka = SharedEmbeddedStack.get().kafka();
    final String prefix = SharedEmbeddedStack.uniqueName("ops");
    final TopicNames topics = TopicNames.prefixed(prefix);
    final String sinkGroup = prefix + "_sink";
    final Map<String, String> environment = new HashMap<>();

    OperatorFixture() {
        kafka.createTopic(topics.deliveryLedger(), 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deliveryRequests(), 3, Map.of());
        kafka.createTopic(topics.appointmentEvents(), 3, Map.of());
        kafka.createTopic(topics.deliveryIndex(), 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointControl(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointStatus(), 1, Map.of("cleanup.policy", "compact"));
        environment.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("BOOKHOOK_TOPIC_LEDGER", topics.deliveryLedger());
        environment.put("BOOKHOOK_TOPIC_DELIVERY_REQUESTS", topics.deliveryRequests());
        environment.put("BOOKHOOK_TOPIC_EVENTS", topics.appointmentEvents());
        environment.put("BOOKHOOK_TOPIC_DELIVERY_INDEX", topics.deliveryIndex());
        environment.put("BOOKHOOK_TOPIC_ENDPOINT_CONTROL", topics.endpointControl());
        environment.put("BOOKHOOK_TOPIC_ENDPOINT_STATUS", topics.endpointStatus());
        environment.put("BOOKHOOK_SINK_GROUP_ID", sinkGroup);
        environment.put("BOOKHOOK_SINK_INSTANCE_ID", sinkGroup);
        // A sink started from this environment keeps its state with the test run's, not under the default ~/.bookhook/state.
        environment.put("BOOKHOOK_STATE_DIR", kafka.workDir().resolve(prefix + "-state").toString());
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static DeliveryRecord delivery(String id, String appointment, EventType type, DeliveryStatus status) {
        JsonNode payload = Json.mapper().createObjectNode().put("event_type", type.wireName());
        return DeliveryRecord.pending(id, "make", IdempotencyKey.of(appointment, type), DeliveryReason.EVENT, payload,
                        Instant.parse("2026-11-27T09:00:00Z"))
                .next(status, 3, status == DeliveryStatus.DELIVERED ? 200 : 503, null, null, Instant.parse("2026-11-27T09:00:10Z"));
    }

    void writeLedger(DeliveryRecord... records) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "transactional.id", "test-" + UUID.randomUUID()));
        try (KafkaProducer<String, DeliveryRecord> producer = new KafkaProducer<>(config, new StringSerializer(),
                JsonSerde.of(DeliveryRecord.class).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (DeliveryRecord record : records) {
                producer.send(new ProducerRecord<>(topics.deliveryLedger(), record.deliveryId(), record));
            }
            producer.commitTransaction();
        }
    }

    List<DeliveryRequest> requests() {
        try (KafkaConsumer<String, DeliveryRequest> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringDeserializer(), JsonSerde.of(DeliveryRequest.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.deliveryRequests()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<DeliveryRequest> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue()) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> read.add(record.value()));
            }
            return read;
        }
    }

    /** An environment whose broker is a port nothing listens on. */
    Map<String, String> unreachable() {
        Map<String, String> broken = new HashMap<>(environment);
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            broken.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + socket.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return broken;
    }
}
