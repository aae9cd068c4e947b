package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.ledger.LedgerReader;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 on the real stack: 1,000 appointments booked before bookhook ran (capture's snapshot derives nothing), 300
 * of them delivered already; a backfill of the whole range, killed halfway and run again, posts the other 700, each
 * once.
 */
class BackfillIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int HISTORY = 1_000;
    /** Appointment i (1-based) was booked at 2026-01-01T00:00Z plus i-1 minutes: the first 300 before 05:00. */
    private static final String FIRST_300 = "2026-01-01T05:00:00Z";

    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private EmbeddedStack stack;
    private String jdbcUrl;
    private Map<String, String> environment;

    @BeforeEach
    void historyBeforeBookhook() throws Exception {
        stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("backfill");
        jdbcUrl = stack.postgres().createReferenceDatabase(name);
        environment = TestEnvironments.pipeline(stack, name, receiver.url().toString(), "backfill-secret");
        execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-456')",
                "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')",
                "INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, created_at)"
                        + " SELECT 1, 1, CASE WHEN i % 2 = 0 THEN 1 END, 1, timestamptz '2026-02-01 10:00+00' + i * interval '1 hour',"
                        + " timestamptz '2026-02-01 10:45+00' + i * interval '1 hour', 'pending',"
                        + " timestamptz '2026-01-01 00:00+00' + (i - 1) * interval '1 minute' FROM generate_series(1, " + HISTORY + ") AS i");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void a_backfill_killed_halfway_and_run_again_posts_the_700_undelivered_of_1000_each_once() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            // 300 delivered already: the backfill of their own range, before the whole one.
            OperatorFixture.Run first = OperatorFixture.run(new BackfillCommand(environment), "--since", "2026-01-01", "--until", FIRST_300);
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).startsWith("backfilled 300 appointments with created_at in [2026-01-01T00:00:00Z, 2026-01-01T05:00:00Z):"
                    + " 300 events written");
            await().atMost(WAIT).until(() -> delivered(settings).size() == 300);
            assertThat(receiver.posts()).hasSize(300);

            OperatorFixture.Run dryRun = OperatorFixture.run(new BackfillCommand(environment), "--since", "2026-01-01", "--until", "2026-01-02",
                    "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
            System.out.println(dryRun.out());
            assertThat(dryRun.out()).contains("would backfill 1,000 appointments", "1,000 events (created 1000, confirmed 0)")
                    .containsPattern("created\\s+make\\s+1000\\s+300\\s+700").contains("nothing written (--dry-run)");

            String killedAt = killHalfway("--since", "2026-01-01", "--until", "2026-01-02", "--chunk-size", "10");
            assertThat(killedAt).as("killed before it finished").doesNotContain("1,000 of 1,000");
            int postsAtKill = receiver.posts().size();

            OperatorFixture.Run again = OperatorFixture.run(new BackfillCommand(environment), "--since", "2026-01-01", "--until", "2026-01-02",
                    "--chunk-size", "100");
            assertThat(again.exitCode()).as(again.err()).isZero();
            System.out.println(again.out());
            assertThat(again.err()).contains("chunk 10: 1,000 of 1,000 appointments done");
            assertThat(again.out()).startsWith("backfilled 1,000 appointments");

            await().atMost(WAIT).until(() -> delivered(settings).size() == HISTORY);
            awaitSinkCaughtUp(settings);

            Map<String, Long> postsPerKey = receiver.posts().stream()
                    .collect(Collectors.groupingBy(ScriptedReceiver.Post::idempotencyKey, Collectors.counting()));
            assertThat(postsPerKey).as("killed at: " + killedAt).hasSize(HISTORY);
            assertThat(postsPerKey.values()).as("each key posted once").containsOnly(1L);
            assertThat(receiver.posts()).hasSize(HISTORY);
            assertThat(receiver.posts().subList(300, HISTORY)).as("700 POSTs after the first 300").hasSize(700);
            // A third run, everything delivered: the sink skips all 1,000, posts nothing.
            OperatorFixture.Run third = OperatorFixture.run(new BackfillCommand(environment), "--since", "2026-01-01", "--until", "2026-01-02");
            assertThat(third.exitCode()).as(third.err()).isZero();
            awaitSinkCaughtUp(settings);
            assertThat(receiver.posts()).hasSize(HISTORY);
            Map<String, DeliveryRecord> ledger = delivered(settings);
            assertThat(ledger.values()).extracting(DeliveryRecord::reason).containsOnly(DeliveryReason.BACKFILL);
            assertThat(ledger.values()).extracting(DeliveryRecord::attempts).containsOnly(1);
            System.out.printf("POSTs: %d in all, %d distinct keys, %d after the first 300 (%d when the child was killed at: %s)%n",
                    receiver.posts().size(), postsPerKey.size(), receiver.posts().size() - 300, postsAtKill, killedAt);
        }
    }

    @Test
    void a_backfilled_event_is_the_streamed_one_but_for_when_it_occurred_and_is_not_posted_again() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        // Columns of more types than the reference schema has: the backfill must write each as Debezium does.
        execute("ALTER TABLE appointments_appointment ADD COLUMN on_day date, ADD COLUMN local_at timestamp, ADD COLUMN local_ms timestamp(3),"
                + " ADD COLUMN at_time time, ADD COLUMN ts3 timestamptz(3), ADD COLUMN flag boolean, ADD COLUMN ratio double precision,"
                + " ADD COLUMN small smallint, ADD COLUMN seats integer, ADD COLUMN code uuid, ADD COLUMN extra jsonb, ADD COLUMN amount numeric,"
                + " ADD COLUMN grade char(3), ADD COLUMN empty_text text");
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            execute("INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, notes,"
                    + " created_at, on_day, local_at, local_ms, at_time, ts3, flag, ratio, small, seats, code, extra, amount, grade)"
                    + " VALUES (1, 1, 1, 1, '2026-12-03 14:00:00.25+00', '2026-12-03 14:45+00', 'confirmed', 'window seat',"
                    + " '2026-06-01 12:00+00', '2026-12-03', '2026-12-03 14:00:01.5', '2026-12-03 14:00:01.123', '14:30:15.5',"
                    + " '2026-12-03 14:00:00.1+00', true, 0.25, 7, 42, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, 2]}', 12.500, 'ab')");
            String created = "appointment:" + (HISTORY + 1) + ":created";
            String confirmed = "appointment:" + (HISTORY + 1) + ":confirmed";
            await().atMost(WAIT).until(() -> receiver.postsFor(created) == 1 && receiver.postsFor(confirmed) == 1);
            await().atMost(WAIT).until(() -> delivered(settings).size() == 2);

            OperatorFixture.Run backfill = OperatorFixture.run(new BackfillCommand(environment), "--since", "2026-06-01", "--until", "2026-06-02");
            assertThat(backfill.exitCode()).as(backfill.err()).isZero();
            assertThat(backfill.out()).startsWith("backfilled 1 appointments with created_at in [2026-06-01T00:00:00Z, 2026-06-02T00:00:00Z):"
                    + " 2 events written");

            List<ConsumerRecord<String, byte[]>> events = TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                    settings.topics().appointmentEvents(), 4, new StringDeserializer(), new ByteArrayDeserializer(), WAIT);
            for (String key : List.of(created, confirmed)) {
                List<ConsumerRecord<String, byte[]>> ofKey = events.stream().filter(r -> r.key().equals(key)).toList();
                assertThat(ofKey).hasSize(2);
                ConsumerRecord<String, byte[]> streamed = ofKey.stream().filter(r -> r.headers().lastHeader(EventHeaders.REASON) == null)
                        .findFirst().orElseThrow();
                ConsumerRecord<String, byte[]> backfilled = ofKey.stream().filter(r -> isBackfill(r.headers().lastHeader(EventHeaders.REASON)))
                        .findFirst().orElseThrow();
                assertThat(backfilled.partition()).as("derive's partitioner").isEqualTo(streamed.partition());
                ObjectNode streamedEvent = (ObjectNode) Json.mapper().readTree(streamed.value());
                ObjectNode backfilledEvent = (ObjectNode) Json.mapper().readTree(backfilled.value());
                assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(backfilledEvent)).isEmpty();
                assertThat(backfilledEvent.get("occurred_at").asText()).isEqualTo("2026-06-01T12:00:00Z");
                assertThat(backfilled.timestamp()).isEqualTo(java.time.Instant.parse("2026-06-01T12:00:00Z").toEpochMilli());
                streamedEvent.remove("occurred_at");
                backfilledEvent.remove("occurred_at");
                assertThat(backfilledEvent).as("same payload, masking included").isEqualTo(streamedEvent);
                assertThat(backfilledEvent.get("appointment").get("on_day")).as("every added column compared").isNotNull();
                System.out.println("backfilled appointment row: " + backfilledEvent.get("appointment"));
                assertThat(backfilledEvent.at("/customer/phone").asText()).isEqualTo("0912***4567");
            }
            await().atMost(WAIT).until(() -> ledger(settings).values().stream()
                    .filter(r -> r.status() == DeliveryStatus.SKIPPED && r.reason() == DeliveryReason.BACKFILL).count() == 2);
            assertThat(receiver.posts()).hasSize(2);
        }
    }

    private static boolean isBackfill(Header header) {
        return header != null && EventHeaders.isBackfill(header.value());
    }

    private static final java.util.regex.Pattern PROGRESS = java.util.regex.Pattern.compile("backfill: chunk \\d+: ([\\d,]+) of");
    /** Past the 300 delivered before, well short of the 1,000: the killed run wrote some undelivered events, not all. */
    private static final int KILL_AFTER = 400;

    /**
     * Runs the backfill in a JVM of its own and kills it (SIGKILL) at its first progress line past {@link #KILL_AFTER}
     * appointments; returns that line.
     */
    private String killHalfway(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "backfill"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process child = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        }, "backfill-child-stderr");
        reader.setDaemon(true);
        reader.start();
        String last = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertThat(child.isAlive()).as("the backfill child ended before its first chunk; last line: " + last).isTrue();
                    continue;
                }
                last = line;
                java.util.regex.Matcher progress = PROGRESS.matcher(line);
                if (progress.find() && Integer.parseInt(progress.group(1).replace(",", "")) >= KILL_AFTER) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(last).as("progress before the kill").contains("backfill: chunk ");
        return last;
    }

    private void awaitSinkCaughtUp(BookhookSettings settings) {
        String topic = settings.topics().appointmentEvents();
        String group = environment.get("BOOKHOOK_SINK_GROUP_ID");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                return ends.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata at = committed.get(e.getKey());
                    return e.getValue().offset() == 0 || (at != null && at.offset() >= e.getValue().offset());
                });
            });
        }
    }

    private Map<String, DeliveryRecord> ledger(BookhookSettings settings) {
        return new LedgerReader(settings.env().kafkaClient(), settings.topics().deliveryLedger()).snapshot(Duration.ofSeconds(5));
    }

    /** The delivered records, by idempotency key (skips excluded: they are separate entries). */
    private Map<String, DeliveryRecord> delivered(BookhookSettings settings) {
        return ledger(settings).values().stream().filter(r -> r.status() == DeliveryStatus.DELIVERED)
                .collect(Collectors.toMap(DeliveryRecord::idempotencyKey, Function.identity(), (a, b) -> {
                    throw new AssertionError("two delivered records of " + a.idempotencyKey());
                }));
    }

    private void execute(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
