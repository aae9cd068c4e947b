package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * engine had not flushed to its offsets yet: no row at or below a flushed offset's LSN is published again by that
 * kill. Stopped gracefully (SIGTERM) instead, capture publishes every row exactly once.
 */
class CaptureCrashIT {

    private static final int KILLS = 4;
    private static final int GRACEFUL_STOPS = 2;
    private static final int ROWS_PER_TRANSACTION = 25;
    private static final Duration BETWEEN_FAULTS = Duration.ofMillis(1200);

    @Test
    void capture_killed_repeatedly_mid_stream_loses_no_committed_row() throws Exception {
        Run run = new Run("crash");
        List<Long> flushedBeforeKill = new ArrayList<>();
        Map<Long, Arrival> seen = run.writeWhile(capture -> {
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(BETWEEN_FAULTS.toMillis());
                // Read before the kill: the engine may flush once more in between, which only moves its real position later.
                flushedBeforeKill.add(lastFlushedEventLsn(run.stack, run.name));
                capture.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                capture = run.startCapture();
            }
            return capture;
        });
        long lost = run.committedRows() - seen.size();
        long duplicates = seen.values().stream().mapToLong(arrival -> arrival.times() - 1).sum();
        // Debezium's bound: a kill publishes again only what came after the offset flushed before it, so a row may
        // arrive once more for each kill whose flushed offset was still below it, and never more.
        List<String> overBound = seen.entrySet().stream()
                .filter(row -> row.getValue().times() > 1 + flushedBeforeKill.stream().filter(flushed -> row.getValue().lsn() > flushed).count())
                .map(row -> "row " + row.getKey() + " at LSN " + row.getValue().lsn() + " arrived " + row.getValue().times() + " times")
                .toList();
        long rowsAfterFirstFlush = seen.values().stream().filter(arrival -> arrival.lsn() > flushedBeforeKill.get(0)).count();
        System.out.printf("capture killed %d times: rows=%d lost=%d duplicates=%d (bound 0 lost; per row, one more arrival per kill whose"
                + " flushed offset was below it; %d rows were above the first one) flushed LSNs before the kills %s%n",
                KILLS, run.committedRows(), lost, duplicates, rowsAfterFirstFlush, flushedBeforeKill);
        assertThat(run.committedRows()).as("rows written").isGreaterThan(KILLS * ROWS_PER_TRANSACTION);
        assertThat(flushedBeforeKill).as("capture had flushed offsets before every kill").allMatch(lsn -> lsn > 0);
        assertThat(lost).as("committed rows missing from Kafka").isZero();
        assertThat(overBound).as("rows re-published although their offset was flushed before the kill").isEmpty();
    }

    @Test
    void capture_stopped_gracefully_and_started_again_publishes_every_row_once() throws Exception {
        Run run = new Run("graceful");
        Map<Long, Arrival> seen = run.writeWhile(capture -> {
            for (int stop = 0; stop < GRACEFUL_STOPS; stop++) {
                Thread.sleep(BETWEEN_FAULTS.toMillis());
                capture.destroy(); // SIGTERM: the engine flushes its offsets on the way out
                assertThat(capture.waitFor(60, TimeUnit.SECONDS)).as("capture stopped on SIGTERM").isTrue();
                capture = run.startCapture();
            }
            return capture;
        });
        long lost = run.committedRows() - seen.size();
        long duplicates = seen.values().stream().mapToLong(arrival -> arrival.times() - 1).sum();
        System.out.printf("capture stopped gracefully %d times: rows=%d lost=%d duplicates=%d (bounds 0 and 0)%n", GRACEFUL_STOPS,
                run.committedRows(), lost, duplicates);
        assertThat(run.committedRows()).as("rows written").isGreaterThan(GRACEFUL_STOPS * ROWS_PER_TRANSACTION);
        assertThat(lost).as("committed rows missing from Kafka").isZero();
        assertThat(duplicates).as("rows published twice across graceful restarts").isZero();
    }

    /** What a test does to the running capture child while the booking app writes; returns the child still running. */
    interface Faults {
        Process inject(Process capture) throws Exception;
    }

    /** One database, slot and topic of its own, a capture child, and a booking app writing multi-row transactions. */
    private static final class Run {
        private final EmbeddedStack stack = SharedEmbeddedStack.get();
        private final String name;
        private final String jdbcUrl;
        private final TopicNames topics;
        private final AtomicInteger committedRows = new AtomicInteger();

        Run(String prefix) {
            name = SharedEmbeddedStack.uniqueName(prefix);
            jdbcUrl = stack.postgres().createReferenceDatabase(name);
            topics = TopicNames.prefixed(name);
            stack.kafka().createTopic(topics.cdcTopic("appointments_customer"), 2, Map.of());
        }

        int committedRows() {
            return committedRows.get();
        }

        /** Runs {@code faults} while rows are written, stops writing, and returns how each inserted row reached Kafka. */
        Map<Long, Arrival> writeWhile(Faults faults) throws Exception {
            AtomicBoolean writing = new AtomicBoolean(true);
            Process capture = startCapture();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeUntilStopped(jdbcUrl, stack, writing, committedRows));
            try {
                capture = faults.inject(capture);
                Thread.sleep(BETWEEN_FAULTS.toMillis());
            } finally {
                writing.set(false);
                writer.join();
            }
            try {
                return insertsPerRow(stack, topics.cdcTopic("appointments_customer"), committedRows.get());
            } finally {
                capture.destroyForcibly();
            }
        }

        Process startCapture() throws Exception {
            return CaptureCrashIT.startCapture(stack, name);
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
        // The child writes its output to a file, not a pipe: Process.destroy() closes the pipe at once, which would lose
        // what the child logs while it stops (its offset flush included), the part a failure here is about.
        Path log = Path.of("target", "capture-children", name + ".log");
        Files.createDirectories(log.getParent());
        long streamingBefore = streamingLines(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            // Until the child says it streams, or dies: a dead child fails at once instead of after the whole wait.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> streamingLines(log) > streamingBefore || !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            // reported below, with where to read the child's output
        }
        if (process.isAlive() && streamingLines(log) > streamingBefore) {
            return process;
        }
        process.destroyForcibly();
        throw new AssertionError("capture child did not start streaming; its output is in " + log.toAbsolutePath());
    }

    private static long streamingLines(Path log) throws java.io.IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(CaptureChild.STREAMING::equals).count();
        }
    }
}
