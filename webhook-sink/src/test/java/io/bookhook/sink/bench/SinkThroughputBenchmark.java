package io.bookhook.sink.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import io.bookhook.sink.mockreceiver.MockReceiver;
import io.bookhook.sink.mockreceiver.MockReceiverConfig;
import io.bookhook.sink.signing.MakeSignature;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Not a test: the sink's deliveries per second against raw JDK {@code HttpClient} POSTs of the same signed bodies
 * to the same local receiver, in one run, with as many requests in flight on each side (one per partition).
 * A sink delivery counts once its ledger record and offset are committed. Run with
 * {@code mvn -o -pl webhook-sink -am -Pbenchmark -DskipTests verify}; results go in docs/BENCHMARKS.md.
 */
public final class SinkThroughputBenchmark {

    private static final String SECRET = "benchmark-secret";
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 4);
    private static final int EVENTS = Integer.getInteger("bench.events", 20_000);
    private static final int WARMUP = 3_000;

    private SinkThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Files.createTempDirectory("bookhook-bench"));
             MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET),
                     new PrintStream(OutputStream.nullOutputStream(), false, UTF_8))) {
            raw(receiver, WARMUP);
            sink(kafka, receiver, "warmup", WARMUP);

            double rawRate = raw(receiver, EVENTS);
            double sinkRate = sink(kafka, receiver, "measured", EVENTS);
            System.out.printf("%nbookhook sink benchmark: %d events of %d bytes, %d partitions / %d requests in flight, %d cores%n",
                    EVENTS, event(1).length, PARTITIONS, PARTITIONS, Runtime.getRuntime().availableProcessors());
            System.out.printf("raw HttpClient POSTs : %8.0f /s%n", rawRate);
            System.out.printf("sink deliveries      : %8.0f /s (ledger and offsets committed)%n", sinkRate);
            System.out.printf("ratio sink / raw     : %8.2f (target >= 0.70)%n", sinkRate / rawRate);
        }
    }

    /** {@code count} signed POSTs from {@link #PARTITIONS} threads, each one request at a time. */
    private static double raw(MockReceiver receiver, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        MakeSignature signature = new MakeSignature(SECRET);
        ExecutorService threads = Executors.newFixedThreadPool(PARTITIONS);
        long started = System.nanoTime();
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int worker = 0; worker < PARTITIONS; worker++) {
            int first = worker;
            done.add(threads.submit(() -> {
                for (int id = first; id < count; id += PARTITIONS) {
                    byte[] body = event(id);
                    HttpRequest request = HttpRequest.newBuilder(receiver.url())
                            .header("Content-Type", "application/json")
                            .header(MakeSignature.HEADER, signature.sign(body))
                            .header("X-Idempotency-Key", IdempotencyKey.of(id, EventType.CREATED).toString())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("receiver answered " + response.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        double rate = count / seconds(started);
        threads.shutdown();
        return rate;
    }

    private static double sink(EmbeddedKafka kafka, MockReceiver receiver, String name, int count) throws Exception {
        TopicNames topics = TopicNames.prefixed("bench-" + name);
        kafka.createTopic(topics.appointmentEvents(), PARTITIONS, Map.of());
        kafka.createTopic(topics.deliveryLedger(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deadLetter(), 1, Map.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            for (int id = 0; id < count; id++) {
                producer.send(new ProducerRecord<>(topics.appointmentEvents(), id % PARTITIONS,
                        IdempotencyKey.of(id, EventType.CREATED).toString(), event(id)));
            }
            producer.flush();
        }
        WebhookSink sink = new WebhookSink(SinkSettings.builder(receiver.url(), SECRET, Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .allowPrivateTargets(true).topics(topics).groupId("bench-" + name).transactionalId("bench-" + name + "-tx").build());
        long started = System.nanoTime();
        Thread loop = new Thread(sink, "bench-sink");
        loop.start();
        while (sink.counts().delivered() < count) {
            if (sink.stopped().isDone()) {
                throw new IllegalStateException("the sink stopped early", sink.stopped().handle((ok, e) -> e).join());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double rate = count / seconds(started);
        sink.close();
        return rate;
    }

    private static byte[] event(int id) {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", id).put("customer_id", 7).put("salon_id", 1)
                .put("stylist_id", 2).put("service_id", 3).put("starts_at", "2026-12-03T14:00:00Z")
                .put("ends_at", "2026-12-03T14:45:00Z").put("status", "pending").put("notes", "window seat, please")
                .put("created_at", "2026-11-28T10:00:00Z").put("updated_at", "2026-11-28T10:00:00Z");
        ObjectNode customer = Json.mapper().createObjectNode().put("id", 7).put("name", "Mei Lin").put("phone", "0912***4567")
                .put("email", "mei@example.com");
        ObjectNode salon = Json.mapper().createObjectNode().put("id", 1).put("name", "Studio North")
                .put("address", "12 Harbour Road, 2nd floor").put("phone", "02-2***6789");
        ObjectNode stylist = Json.mapper().createObjectNode().put("id", 2).put("salon_id", 1).put("name", "Ana").put("phone", "0987***3210");
        ObjectNode service = Json.mapper().createObjectNode().put("id", 3).put("salon_id", 1).put("name", "Cut and style")
                .put("duration_minutes", 45).put("price", "42.00");
        try {
            return Json.mapper().writeValueAsBytes(new AppointmentEvent(EventType.CREATED, IdempotencyKey.of(id, EventType.CREATED).toString(),
                    Instant.parse("2026-11-28T10:00:00Z"), appointment, customer, salon, stylist, service, List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toNanos() / 1e9;
    }
}
