package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, events, sinks and ledger reads on the shared real broker, for the sink's tests; one instance per test. */
final class SinkTestKit {

    static final String SECRET = "make-secret-for-tests";
    static final Duration WAIT = Duration.ofSeconds(30);
    /** One state directory for the sinks of a test JVM; each sink keeps its store under its own instance id. */
    static final java.nio.file.Path STATE_DIR = java.nio.file.Path.of("target", "sink-state-" + ProcessHandle.current().pid());

    final EmbeddedKafka kafka = SharedEmbeddedStack.get().kafka();
    final TopicNames topics = TopicNames.prefixed(SharedEmbeddedStack.uniqueName("sink"));
    final String group = SharedEmbeddedStack.uniqueName("sink");

    SinkTestKit(int partitions) {
        kafka.createTopic(topics.appointmentEvents(), partitions, Map.of());
        kafka.createTopic(topics.deliveryLedger(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deadLetter(), 1, Map.of());
        kafka.createTopic(topics.deliveryRequests(), partitions, Map.of());
        kafka.createTopic(topics.deliveryIndex(), partitions, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointControl(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointStatus(), 1, Map.of("cleanup.policy", "compact"));
    }

    SinkSettingsBuilder settings(URI receiver) {
        return settings(receiver, Map.of());
    }

    /** Settings posting to {@code endpoints} instead of the one endpoint at a receiver. */
    SinkSettingsBuilder settings(List<EndpointSettings> endpoints) {
        return SinkSettings.builder(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .endpoints(endpoints)
                .allowPrivateTargets(true)
                .topics(topics)
                .groupId(group)
                .instanceId(group + "-a")
                .stateDir(STATE_DIR)
                .retryJitter(0.0)
                .requestTimeout(Duration.ofSeconds(5));
    }

    /** Produces an event on the partition its appointment has, as derive writes it. */
    void produceEvent(long appointmentId, EventType type, long salon, int partitions) {
        produce(io.bookhook.schemas.AppointmentPartition.of(Long.toString(appointmentId), partitions),
                IdempotencyKey.of(appointmentId, type).toString(), event(appointmentId, type, salon));
    }

    SinkSettingsBuilder settings(URI receiver, Map<String, String> clientProperties) {
        Map<String, String> client = new java.util.HashMap<>(clientProperties);
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return SinkSettings.builder(receiver, SECRET, client)
                .allowPrivateTargets(true)
                .topics(topics)
                .groupId(group)
                .instanceId(group + "-a")
                .stateDir(STATE_DIR)
                .maxAttempts(3)
                .firstBackoff(Duration.ofMillis(50))
                .retryJitter(0.0)
                .requestTimeout(Duration.ofSeconds(5));
    }

    static byte[] event(long appointmentId, EventType type) {
        return event(appointmentId, type, 1);
    }

    /** An event of an appointment at {@code salon} (its salon_id column and its salon row). */
    static byte[] event(long appointmentId, EventType type, long salon) {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", appointmentId).put("salon_id", salon)
                .put("status", type == EventType.CREATED ? "pending" : "confirmed");
        ObjectNode customer = Json.mapper().createObjectNode().put("id", 3).put("name", "Ana").put("phone", "0912***4567");
        try {
            return Json.mapper().writeValueAsBytes(new AppointmentEvent(type, IdempotencyKey.of(appointmentId, type).toString(),
                    Instant.parse("2026-11-28T10:00:00Z"), appointment, customer, Json.mapper().createObjectNode().put("id", salon), null, null,
                    List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void produce(String key, byte[] value) {
        produce(null, key, value);
    }

    void produce(Integer partition, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.appointmentEvents(), partition, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator's request, as `bookhook retry` / `resend` write it: keyed by appointment. */
    void produceRequest(io.bookhook.schemas.DeliveryRequest request) {
        produceTo(topics.deliveryRequests(), request.kafkaKey(), JsonSerde.of(io.bookhook.schemas.DeliveryRequest.class).serializer()
                .serialize(topics.deliveryRequests(), request));
    }

    void produceTo(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void produceEvents(int count, int partitions) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (int id = 1; id <= count; id++) {
                String key = IdempotencyKey.of(id, EventType.CREATED).toString();
                producer.send(new ProducerRecord<>(topics.appointmentEvents(), id % partitions, key, event(id, EventType.CREATED)));
            }
            producer.flush();
        }
    }

    /**
     * A sink in a JVM of its own ({@link SinkProcessMain}), in this kit's group with instance id {@code group-a} (the
     * one {@link #settings} gives, so a sink started here after a kill takes its place), logging to target/.
     */
    Process startChildSink(String logName, String... arguments) throws java.io.IOException {
        java.nio.file.Path log = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target")).resolve("sink-child-" + logName + ".log");
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SinkProcessMain.class.getName(),
                "bootstrap=" + kafka.bootstrapServers(), "prefix=" + topics.appointmentEvents().replace(".appointment-events", ""),
                "group=" + group, "instance=" + group + "-a", "secret=" + SECRET, "state=" + STATE_DIR.resolve("child")));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Produces events 1..count, one every {@code interval}, spread over the partitions as {@link #produceEvents} does,
     * on a thread of its own; the future completes when the last one is written.
     */
    java.util.concurrent.CompletableFuture<Void> produceEventsPaced(int count, int partitions, Duration interval) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int id = 1; id <= count; id++) {
                    String key = IdempotencyKey.of(id, EventType.CREATED).toString();
                    producer.send(new ProducerRecord<>(topics.appointmentEvents(), id % partitions, key, event(id, EventType.CREATED))).get();
                    Thread.sleep(interval.toMillis());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every committed ledger record, in order. */
    List<DeliveryRecord> ledgerHistory() {
        var values = JsonSerde.of(DeliveryRecord.class).deserializer();
        return readAll(topics.deliveryLedger()).stream().map(r -> values.deserialize(r.topic(), r.value())).toList();
    }

    /** The compacted view: the latest record per delivery id. */
    Map<String, DeliveryRecord> ledger() {
        Map<String, DeliveryRecord> latest = new LinkedHashMap<>();
        ledgerHistory().forEach(record -> latest.put(record.deliveryId(), record));
        return latest;
    }

    /** Waits until {@code count} deliveries have a final state, and returns the view then. */
    Map<String, DeliveryRecord> awaitSettled(int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> settled(ledger()) >= count);
        Map<String, DeliveryRecord> view = ledger();
        assertThat(settled(view)).as("settled deliveries").isEqualTo(count);
        return view;
    }

    static long settled(Map<String, DeliveryRecord> view) {
        return view.values().stream().filter(r -> r.status() != DeliveryStatus.PENDING && r.status() != DeliveryStatus.RETRYING).count();
    }

    /** Reads as an operator's tool would: only what committed transactions wrote, from the beginning to now. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }
        return seen;
    }

    Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitCommittedOffset(int partition, long expected) {
        TopicPartition events = new TopicPartition(topics.appointmentEvents(), partition);
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedOffsets().get(events))
                .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(expected));
    }

    /**
     * Until the group's committed offsets of {@code topic} add up to {@code records}: the sink has read and accounted for
     * that many records of it, so whatever they were going to make it do is done (or will never be).
     */
    void awaitCommittedRecords(String topic, long records) {
        await().atMost(WAIT).until(() -> committedOffsets().entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue().offset()).sum() == records);
    }

    static String deliveryId(long appointmentId, EventType type) {
        return DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, IdempotencyKey.of(appointmentId, type));
    }
}
