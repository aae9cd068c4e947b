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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 2 and 5: capture killed with SIGKILL again and again while a booking app keeps writing
 * multi-row transactions. Every committed row must reach Kafka; duplicates are allowed only within what the
 * engine had not flushed to its offsets yet.
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
        AtomicInteger maxRowsPerFlushWindow = new AtomicInteger();
        Process capture = startCapture(stack, name);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeUntilStopped(jdbcUrl, stack, writing, committedRows));
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                int before = committedRows.get();
                Thread.sleep(1200);
                maxRowsPerFlushWindow.accumulateAndGet(committedRows.get() - before, Math::max);
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
            Map<Long, Integer> seen = insertsPerRow(stack, topics.cdcTopic("appointments_customer"), total);
            long lost = total - seen.size();
            long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
            // Each kill may replay what was produced since the last offset flush (1 s) plus one batch in flight.
            long duplicateBound = (long) KILLS * 2 * Math.max(maxRowsPerFlushWindow.get(), ROWS_PER_TRANSACTION);
            System.out.printf("crash test: rows=%d lost=%d duplicates=%d bound=%d%n", total, lost, duplicates, duplicateBound);
            assertThat(total).as("rows written").isGreaterThan(KILLS * ROWS_PER_TRANSACTION);
            assertThat(lost).as("committed rows missing from Kafka").isZero();
            assertThat(duplicates).as("duplicates (bound %d)", duplicateBound).isLessThanOrEqualTo(duplicateBound);
        } finally {
            capture.destroyForcibly();
        }
    }

    /** How often each inserted row id reached the topic, read until every row arrived or two minutes passed. */
    private static Map<Long, Integer> insertsPerRow(EmbeddedStack stack, String topic, int expectedRows) throws Exception {
        Map<Long, Integer> seen = new HashMap<>();
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
                        seen.merge(envelope.at("/after/id").asLong(), 1, Integer::sum);
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
