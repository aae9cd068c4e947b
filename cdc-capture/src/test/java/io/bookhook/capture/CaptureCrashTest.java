package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.ReferenceSchema;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 2 and 5: capture killed with SIGKILL again and again while a booking app keeps writing
 * multi-row transactions. Every committed row must reach Kafka; duplicates are allowed only within what the
 * engine had not flushed to its offsets yet: no row at or below a flushed offset's LSN is published twice.
 */
class CaptureCrashTest {

    private static final int KILLS = 2;
    private static final int ROWS_PER_TRANSACTION = 25;

    @Test
    void capture_killed_repeatedly_mid_stream_loses_no_committed_row() throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("crash");
        String jdbcUrl = stack.postgres().createDatabase(name);
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        TopicNames topics = TopicNames.prefixed(name);
        stack.kafka().createTopic(topics.cdcTopic("appointments_customer"), 2, Map.of());

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger committedRows = new AtomicInteger();
        List<Long> flushedBeforeKill = new ArrayList<>();
        Process capture = startCapture(stack, name);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeUntilStopped(jdbcUrl, stack, writing, committedRows));
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(1200);
                // Read before the kill: the engine may flush once more in between, which only moves its real position later.
                flushedBeforeKill.add(lastFlushedEventLsn(stack, name));
                capture.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                capture = startCapture(stack, name);
            }
            Thread.sleep(1000);
        } finally {
            writing.set(false);
            writer.join();
        }
        int total = committedRows.get();
        try {
            Map<Long, Arrival> seen = insertsPerRow(stack, topics.cdcTopic("appointments_customer"), total);
            long lost = total - seen.size();
            long duplicates = seen.values().stream().mapToLong(arrival -> arrival.times() - 1).sum();
            long firstFlushed = flushedBeforeKill.get(0);
            List<Arrival> replayedBelowFlushedOffset = seen.values().stream()
                    .filter(arrival -> arrival.times() > 1 && arrival.lsn() <= firstFlushed).toList();
            int mostArrivals = seen.values().stream().mapToInt(Arrival::times).max().orElse(0);
            System.out.printf("crash test: rows=%d lost=%d duplicates=%d (flushed LSNs before the kills %s)%n", total, lost, duplicates,
                    flushedBeforeKill);
            assertThat(total).as("rows written").isGreaterThan(KILLS * ROWS_PER_TRANSACTION);
            assertThat(firstFlushed).as("capture had flushed offsets before the first kill").isPositive();
            assertThat(lost).as("committed rows missing from Kafka").isZero();
            // Debezium's bound: after a crash only what came after the last flushed offset is published again.
            assertThat(replayedBelowFlushedOffset).as("rows re-published although their offset was flushed").isEmpty();
            assertThat(mostArrivals).as("arrivals of one row").isLessThanOrEqualTo(KILLS + 1);
        } finally {
            capture.destroyForcibly();
        }
    }

    record Arrival(long lsn, int times) {
    }

    /** The LSN of the last change event the engine flushed to its offsets ({@code lsn}, not the commit's {@code lsn_commit}). */
    private static long lastFlushedEventLsn(EmbeddedStack stack, String name) throws Exception {
        long lsn = -1;
        for (ConsumerRecord<byte[], byte[]> offset : readAll(stack, name + ".offsets")) {
            JsonNode key = offset.key() == null ? null : Json.mapper().readTree(offset.key());
            if (key != null && key.isArray() && name.equals(key.path(0).asText()) && offset.value() != null) {
                lsn = Json.mapper().readTree(offset.value()).path("lsn").asLong(lsn);
            }
        }
        return lsn;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedStack stack, String topic) {
        Map<String, Object> config = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** How often each inserted row id reached the topic, and its LSN; read until every row arrived or two minutes passed. */
    private static Map<Long, Arrival> insertsPerRow(EmbeddedStack stack, String topic, int expectedRows) throws Exception {
        Map<Long, Arrival> seen = new HashMap<>();
        Map<String, Object> config = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "crash-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> change : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode envelope = Json.mapper().readTree(change.value());
                    if (envelope != null && "c".equals(envelope.path("op").asText())) {
                        seen.merge(envelope.at("/after/id").asLong(), new Arrival(envelope.at("/source/lsn").asLong(), 1),
                                (earlier, again) -> new Arrival(earlier.lsn(), earlier.times() + 1));
                    }
                }
                if (seen.size() >= expectedRows && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return seen;
    }

    private static void writeUntilStopped(String jdbcUrl, EmbeddedStack stack, AtomicBoolean writing, AtomicInteger committedRows) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            while (writing.get()) {
                statement.execute("INSERT INTO appointments_customer (name) SELECT 'c' || g FROM generate_series(1, "
                        + ROWS_PER_TRANSACTION + ") g");
                committedRows.addAndGet(ROWS_PER_TRANSACTION);
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process startCapture(EmbeddedStack stack, String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CaptureChild.class.getName(),
                stack.postgres().host(), Integer.toString(stack.postgres().port()), name, stack.postgres().user(),
                stack.postgres().password(), stack.kafka().bootstrapServers(), name, name,
                "appointments_appointment", "appointments_customer", "appointments_salon", "appointments_stylist", "appointments_service"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String line;
        while ((line = output.readLine()) != null) {
            if (line.equals(CaptureChild.STREAMING)) {
                drain(output);
                return process;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("capture child did not start streaming");
    }

    /** Keeps reading the child's output so it never blocks on a full pipe. */
    private static void drain(BufferedReader output) {
        Thread drainer = new Thread(() -> {
            try {
                while (output.readLine() != null) {
                    // discard
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        }, "capture-child-output");
        drainer.setDaemon(true);
        drainer.start();
    }
}
