package io.bookhook.sink.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.AppointmentPartition;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import io.bookhook.schemas.signing.MakeSignature;
import io.bookhook.sink.DeliveryIds;
import io.bookhook.sink.Endpoint;
import io.bookhook.sink.IndexEntry;
import io.bookhook.sink.SinkProcessMain;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Not a test: the sink's delivery engine measured. The broker, the receiver ({@link MockReceiver}, which checks every
 * signature and answers after a set latency) and the event producer run in this JVM; the sink runs in a JVM of its own
 * ({@link SinkProcessMain}), as in production, so its start-up and heap are its own.
 *
 * <ol>
 *   <li>Throughput: deliveries/s of a warmed-up sink against the receiver answering after 0, 50 and 200 ms, at max in
 *   flight 100 and 500, from the receiver's first POST of a backlog to its last (then the ledger records and offsets
 *   are checked committed);
 *   and the raw HTTP ceiling: JDK HttpClient POSTs of the same signed bodies to the same receiver, answering at once.</li>
 *   <li>Start-up: a sink with an empty local state starting against a delivery index of 0, 100,000 and 1,000,000
 *   delivered deliveries (and a ledger as large): time to its first delivery, and its heap after a full GC then;
 *   and the same sink restarted with its local state kept.</li>
 * </ol>
 * Run with {@code mvn -pl webhook-sink -am -Pbenchmark -DskipTests verify}; results go in docs/BENCHMARKS.md.
 * System properties: {@code bench.phases} ({@code throughput,startup}), {@code bench.events} (30000), {@code bench.warmup} (100000),
 * {@code bench.matrix} (latency ms:max in flight pairs, {@code 0:100,0:500,50:100,50:500,200:100,200:500}),
 * {@code bench.ledgerSizes} ({@code 0,100000,1000000}), {@code bench.sinkJvmOptions} (e.g. a JFR recording;
 * {@code {prefix}} names the run).
 */
public final class SinkBenchmark {

    private static final String SECRET = "benchmark-secret";
    private static final int PARTITIONS = 3;
    private static final int EVENTS = Integer.getInteger("bench.events", 30_000);
    private static final List<String> PHASES = List.of(System.getProperty("bench.phases", "throughput,startup").split(","));
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100_000);

    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("bookhook-bench");
        PrintStream out = System.out;
        out.printf("bookhook sink benchmark, %d cores, %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
             MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET),
                     new PrintStream(OutputStream.nullOutputStream(), false, UTF_8))) {
            if (PHASES.contains("throughput")) {
                throughput(kafka, receiver, work, out);
            }
            if (PHASES.contains("startup")) {
                startup(kafka, receiver, work, out);
            }
        }
    }

    // ---- throughput ---------------------------------------------------------------------------------------------

    private static void throughput(EmbeddedKafka kafka, MockReceiver receiver, Path work, PrintStream out) throws Exception {
        out.println("warming up the raw client ...");
        raw(receiver, 5_000, 8);

        double ceilingBefore = Math.max(raw(receiver, EVENTS, 4), raw(receiver, EVENTS, 16));
        List<String> rows = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (String cell : System.getProperty("bench.matrix", "0:100,0:500,50:100,50:500,200:100,200:500").split(",")) {
            int latency = Integer.parseInt(cell.split(":")[0].strip());
            int inFlight = Integer.parseInt(cell.split(":")[1].strip());
            int events = latency == 200 && inFlight == 100 ? Math.min(EVENTS, 10_000) : EVENTS;
            Run run = sinkRun(kafka, receiver, work, latency, inFlight, events);
            rows.add(String.format("| %d ms | %d | %,d | %,.0f | %,.0f |", latency, inFlight, events, run.receivedRate(), run.committedRate()));
            rates.add(run.receivedRate());
            out.println("  " + rows.get(rows.size() - 1));
        }
        // Again with the receiver's JVM warm: the first figure is often lower, and the ceiling is the best the receiver does.
        double ceilingAfter = Math.max(raw(receiver, EVENTS, 4), raw(receiver, EVENTS, 16));
        double ceiling = Math.max(ceilingBefore, ceilingAfter);
        out.printf("%nraw HttpClient POSTs, receiver answering at once (best of 4 and 16 in flight): %,.0f /s before the sink runs,"
                + " %,.0f /s after%n%n", ceilingBefore, ceilingAfter);
        out.println("| receiver latency | max in flight | events | deliveries/s (receiver) | committed/s (ledger + offsets) | vs raw ceiling |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        for (int i = 0; i < rows.size(); i++) {
            out.printf("%s %.2f |%n", rows.get(i), rates.get(i) / ceiling);
        }
        receiver.stallFor(Duration.ZERO);
    }

    private record Run(double receivedRate, double committedRate) {
    }

    /**
     * A sink JVM warmed up with {@code bench.warmup} (100,000) deliveries to the receiver answering at once (a sink runs for days; its
     * first seconds of JIT compilation are not its throughput), then {@code events} events it has not seen, as one
     * backlog, to the receiver answering after {@code latencyMillis}.
     */
    private static Run sinkRun(EmbeddedKafka kafka, MockReceiver receiver, Path work, int latencyMillis, int maxInFlight, int events)
            throws Exception {
        String prefix = "bench-" + RUNS.incrementAndGet();
        TopicNames topics = topics(kafka, prefix);
        receiver.stallFor(Duration.ZERO);
        produceEvents(kafka, topics, 0, WARMUP);
        Process sink = startSink(kafka, receiver, work, prefix, maxInFlight, false);
        try {
            awaitCount(receiver, receiver.deliveredCount() + WARMUP, Duration.ofMinutes(5), sink);
            awaitCommitted(kafka, prefix + "-sink", topics.appointmentEvents(), Duration.ofMinutes(2));
            receiver.stallFor(Duration.ofMillis(latencyMillis));
            int before = receiver.deliveredCount();
            produceEvents(kafka, topics, WARMUP, events);
            long first = awaitCount(receiver, before + 1, Duration.ofMinutes(2), sink);
            long last = awaitCount(receiver, before + events, Duration.ofMinutes(10), sink);
            awaitCommitted(kafka, prefix + "-sink", topics.appointmentEvents(), Duration.ofMinutes(2));
            long committed = System.nanoTime();
            return new Run((events - 1) / seconds(last - first), events / seconds(committed - first));
        } finally {
            stop(sink);
        }
    }

    /** {@code count} signed POSTs from {@code threads} threads, each one request at a time. */
    private static double raw(MockReceiver receiver, int count, int threads) throws Exception {
        receiver.stallFor(Duration.ZERO);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        MakeSignature signature = new MakeSignature(SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int worker = 0; worker < threads; worker++) {
            int firstId = worker;
            done.add(pool.submit(() -> {
                for (int id = firstId; id < count; id += threads) {
                    byte[] body = event(id);
                    HttpRequest request = HttpRequest.newBuilder(receiver.url())
                            .header("Content-Type", "application/json")
                            .header(MakeSignature.HEADER, signature.sign(body))
                            .header("X-Idempotency-Key", IdempotencyKey.of(id, EventType.CREATED).toString())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    HttpResponse<byte[]> response;
                    try {
                        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (java.io.IOException staleConnection) {
                        // The JDK client and server race on keep-alive now and then; the ceiling is not about that.
                        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    }
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
        double rate = count / seconds(System.nanoTime() - started);
        pool.shutdown();
        return rate;
    }

    // ---- start-up -----------------------------------------------------------------------------------------------

    private static void startup(EmbeddedKafka kafka, MockReceiver receiver, Path work, PrintStream out) throws Exception {
        receiver.stallFor(Duration.ZERO);
        out.printf("%n| delivered in the index and ledger | fill time | start-up to first delivery (fresh local state) | heap after GC"
                + " | RSS | start-up, local state kept | heap after GC |%n");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String size : System.getProperty("bench.ledgerSizes", "0,100000,1000000").split(",")) {
            int delivered = Integer.parseInt(size.strip());
            String prefix = "bench-" + RUNS.incrementAndGet();
            TopicNames topics = topics(kafka, prefix);
            long filling = System.nanoTime();
            fillHistory(kafka, topics, delivered);
            double fillSeconds = seconds(System.nanoTime() - filling);
            Startup fresh = startOnce(kafka, receiver, work, prefix, topics, delivered + 1);
            Startup kept = startOnce(kafka, receiver, work, prefix, topics, delivered + 2);
            out.printf("| %,d | %.0f s | %,d ms | %.1f MiB | %.0f MiB | %,d ms | %.1f MiB |%n", delivered, fillSeconds, fresh.millis(),
                    fresh.heapBytes() / 1048576.0, fresh.rssBytes() / 1048576.0, kept.millis(), kept.heapBytes() / 1048576.0);
        }
    }

    private record Startup(long millis, long heapBytes, long rssBytes) {
    }

    /** One new event (appointment {@code id}), then a sink started: how long until it was delivered, and the sink's heap then. */
    private static Startup startOnce(EmbeddedKafka kafka, MockReceiver receiver, Path work, String prefix, TopicNames topics, int id)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(eventRecord(topics, id)).get();
        }
        int before = receiver.deliveredCount();
        long spawned = System.nanoTime();
        Process sink = startSink(kafka, receiver, work, prefix, 100, true);
        try {
            long delivered = awaitCount(receiver, before + 1, Duration.ofMinutes(5), sink);
            Path output = work.resolve(prefix + "-sink.out");
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                String ready = Files.readAllLines(output).stream().filter(line -> line.startsWith("ready ")).findFirst().orElse(null);
                if (ready != null) {
                    long heap = Long.parseLong(ready.substring(ready.indexOf("heap-after-gc=") + "heap-after-gc=".length()).strip());
                    return new Startup(Duration.ofNanos(delivered - spawned).toMillis(), heap, rss(sink.pid()));
                }
                if (System.nanoTime() > deadline || !sink.isAlive()) {
                    throw new IllegalStateException("the sink did not report ready; see " + output);
                }
                Thread.sleep(20);
            }
        } finally {
            stop(sink);
        }
    }

    /** {@code count} deliveries delivered long ago: their small index entries, and ledger records with their payloads. */
    private static void fillHistory(EmbeddedKafka kafka, TopicNames topics, int count) throws Exception {
        var indexValues = JsonSerde.of(IndexEntry.class).serializer();
        var ledgerValues = JsonSerde.of(DeliveryRecord.class).serializer();
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int n = 0; n < count; n++) {
                int id = 10_000_000 + n;
                IdempotencyKey key = IdempotencyKey.of(id, EventType.CREATED);
                String deliveryId = DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, key);
                IndexEntry entry = new IndexEntry(deliveryId, Endpoint.DEFAULT_NAME, key.toString(), DeliveryStatus.DELIVERED, 1, null,
                        DeliveryReason.EVENT, false, then, null);
                producer.send(new ProducerRecord<>(topics.deliveryIndex(), AppointmentPartition.of(key.appointmentId(), PARTITIONS), deliveryId,
                        indexValues.serialize(topics.deliveryIndex(), entry)));
                DeliveryRecord record = DeliveryRecord.pending(deliveryId, Endpoint.DEFAULT_NAME, key, DeliveryReason.EVENT,
                        Json.mapper().readTree(event(id)), then).next(DeliveryStatus.DELIVERED, 1, 200, null, "Accepted", then);
                producer.send(new ProducerRecord<>(topics.deliveryLedger(), deliveryId, ledgerValues.serialize(topics.deliveryLedger(), record)));
            }
            producer.flush();
        }
    }

    // ---- shared -------------------------------------------------------------------------------------------------

    private static TopicNames topics(EmbeddedKafka kafka, String prefix) {
        TopicNames topics = TopicNames.prefixed(prefix);
        kafka.createTopic(topics.appointmentEvents(), PARTITIONS, Map.of());
        kafka.createTopic(topics.deliveryRequests(), PARTITIONS, Map.of());
        kafka.createTopic(topics.deliveryIndex(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deliveryLedger(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.deadLetter(), 1, Map.of());
        kafka.createTopic(topics.endpointControl(), 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topics.endpointStatus(), 1, Map.of("cleanup.policy", "compact"));
        return topics;
    }

    private static Process startSink(EmbeddedKafka kafka, MockReceiver receiver, Path work, String prefix, int maxInFlight, boolean report)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        String jvmOptions = System.getProperty("bench.sinkJvmOptions", "").strip();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.replace("{prefix}", prefix).split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SinkProcessMain.class.getName(),
                "bootstrap=" + kafka.bootstrapServers(), "prefix=" + prefix, "group=" + prefix + "-sink", "instance=" + prefix + "-sink",
                "url=" + receiver.url(), "secret=" + SECRET, "state=" + work.resolve("sink-state"), "maxInFlight=" + maxInFlight,
                "report=" + report));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(prefix + "-sink.out").toFile()).start();
    }

    private static void stop(Process sink) throws InterruptedException {
        sink.destroy();
        if (!sink.waitFor(60, TimeUnit.SECONDS)) {
            sink.destroyForcibly().waitFor();
        }
    }

    private static long awaitCount(MockReceiver receiver, int count, Duration timeout, Process sink) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiver.deliveredCount() < count) {
            if (!sink.isAlive()) {
                throw new IllegalStateException("the sink process ended early with " + sink.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + receiver.deliveredCount() + " of " + count + " deliveries within " + timeout);
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /** Until the group's committed offsets reach the end of every events partition: every ledger record committed. */
    private static void awaitCommitted(EmbeddedKafka kafka, String group, String topic, Duration timeout) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue().offset());
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("offsets of " + topic + " not committed within " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void produceEvents(EmbeddedKafka kafka, TopicNames topics, int firstId, int count) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int id = firstId; id < firstId + count; id++) {
                producer.send(eventRecord(topics, id));
            }
            producer.flush();
        }
    }

    private static ProducerRecord<String, byte[]> eventRecord(TopicNames topics, int id) {
        IdempotencyKey key = IdempotencyKey.of(id, EventType.CREATED);
        return new ProducerRecord<>(topics.appointmentEvents(), AppointmentPartition.of(key.appointmentId(), PARTITIONS), key.toString(),
                event(id));
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    static byte[] event(int id) {
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

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
