package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md item 1: a soak with an oracle. Several connections write a random mix of inserts, status changes,
 * unrelated updates, deletes, multi-statement and multi-row transactions, some rolled back, while the whole pipeline
 * runs in-process. The oracle comes from the database, not from the writers' memory: a row trigger the test installs
 * records every committed row version of the appointment table in a history table outside the publication (row locks
 * order one row's versions by the history's sequence exactly as they were committed). The events expected follow from
 * that history by the derive rules (created for an insert as pending or confirmed; confirmed once per appointment, on the
 * first insert or update that makes it confirmed; deletes derive nothing), restated here independently of derive's code.
 *
 * <p>The test waits for the pipeline to go quiet stage by stage (the slot confirmed past the last write, derive committed
 * past the last change, the sink committed past the last event), not for a guessed time, so a lost event is reported as
 * soon as everything has gone through, and an extra or repeated POST has had its chance to show up.
 *
 * <p>Size: {@code -Dbookhook.soak.operations=} (row statements attempted, default 2,500), writers:
 * {@code -Dbookhook.soak.writers=} (default 4), seed: {@code -Dbookhook.soak.seed=}.
 */
class SoakIT {

    static {
        // Read once, when the JDK server classes load: without it each answer waits ~40 ms (Nagle plus delayed ACK).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final int OPERATIONS = Integer.getInteger("bookhook.soak.operations", 2_500);
    private static final int WRITERS = Integer.getInteger("bookhook.soak.writers", 4);
    private static final long SEED = Long.getLong("bookhook.soak.seed", System.nanoTime());
    /** Generous: the machine's two cores are shared with other test runs. */
    private static final Duration STAGE_TIMEOUT = Duration.ofSeconds(120 + OPERATIONS / 100);
    private static final String PENDING = "pending";
    private static final String CONFIRMED = "confirmed";
    private static final String APPOINTMENT_TABLE = "appointments_appointment";
    /** Errors a writer's transaction may meet under contention and that roll it back: deadlock, serialization failure. */
    private static final Set<String> CONTENTION = Set.of("40P01", "40001");

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private EmbeddedStack stack;
    private String database;
    private String jdbcUrl;
    private Map<String, String> environment;

    record Received(String idempotencyKey, String eventType, byte[] body) {
    }

    /** One committed version of an appointment row, as the history trigger recorded it. */
    record Version(long seq, char op, long appointmentId, String status, String notes) {
    }

    @BeforeEach
    void receiverAndDatabase() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("X-Event-Type"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("soak");
        jdbcUrl = stack.postgres().createReferenceDatabase(database);
        stack.postgres().execute(database,
                "CREATE TABLE soak_history (seq bigserial PRIMARY KEY, op char(1) NOT NULL, appointment_id bigint NOT NULL,"
                        + " status text, notes text)",
                "CREATE FUNCTION soak_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF TG_OP = 'DELETE' THEN"
                        + "   INSERT INTO soak_history (op, appointment_id, status, notes) VALUES ('d', OLD.id, OLD.status, OLD.notes);"
                        + "   RETURN OLD;"
                        + " END IF;"
                        + " INSERT INTO soak_history (op, appointment_id, status, notes)"
                        + "   VALUES (CASE TG_OP WHEN 'INSERT' THEN 'c' ELSE 'u' END, NEW.id, NEW.status, NEW.notes);"
                        + " RETURN NEW;"
                        + " END $$",
                "CREATE TRIGGER soak_history AFTER INSERT OR UPDATE OR DELETE ON " + APPOINTMENT_TABLE
                        + " FOR EACH ROW EXECUTE FUNCTION soak_record()");
        environment = TestEnvironments.pipeline(stack, database, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "soak-secret");
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void a_random_mix_of_writes_from_several_connections_yields_exactly_the_events_the_database_history_implies() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        Writers writers = new Writers(SEED);
        String stalled = "none";
        long started;
        long writesNanos;
        long elapsedNanos;
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            stack.postgres().execute(database,
                    "INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-456'), (1, 'Bo', '0955-987-654')",
                    "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00), (1, 'Colour', 90, 80.00)",
                    "INSERT INTO appointments_customer (name, phone, email) SELECT 'Customer ' || n, '0912-345-' || (1000 + n), 'c' || n || '@example.com'"
                            + " FROM generate_series(1, 5) AS n");
            started = System.nanoTime();
            firstWrite = started;
            writers.run();
            writesNanos = System.nanoTime() - started;
            String lastWrite = stack.postgres().queryOne(database, "SELECT pg_current_wal_lsn()::text");
            // A change after the last write, to a captured table that derives nothing: the slot can confirm past
            // lastWrite as soon as capture handed it to Kafka, instead of waiting for the next heartbeat (10 s).
            stack.postgres().execute(database, "UPDATE appointments_salon SET address = 'soak: writes done' WHERE id = 1");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()));
                    KafkaConsumer<byte[], byte[]> reader = reader()) {
                stalled = awaitQuiet(settings, lastWrite, admin, reader);
            }
            elapsedNanos = System.nanoTime() - started;
            assertThat(pipeline.sink().stopped()).as("the sink is still running").isNotDone();
        }

        List<Version> history = history();
        Map<String, Version> expected = expectedEvents(history);
        Map<String, Long> postsPerKey = received.stream().collect(Collectors.groupingBy(Received::idempotencyKey, Collectors.counting()));
        List<String> lost = expected.keySet().stream().filter(key -> !postsPerKey.containsKey(key)).sorted().toList();
        List<String> unexpected = postsPerKey.keySet().stream().filter(key -> !expected.containsKey(key)).sorted().toList();
        long duplicates = postsPerKey.values().stream().mapToLong(posts -> posts - 1).sum();
        List<String> mismatched = mismatches(expected);
        long appointments = history.stream().map(Version::appointmentId).distinct().count();

        System.out.printf("soak: ops=%d appointments=%d expected=%d lost=%d unexpected=%d duplicates=%d elapsed=%.1fs"
                        + " | writes=%.1fs statements=%d transactions committed=%d rolled_back=%d aborted=%d writers=%d posts=%d"
                        + " captured=%d derived=%d derived_twice=%d dead_letters=%d mismatched=%d stalled=%s caught_up_at=%s seed=%d%n",
                history.size(), appointments, expected.size(), lost.size(), unexpected.size(), duplicates, elapsedNanos / 1e9, writesNanos / 1e9,
                OPERATIONS, writers.committed.get(), writers.rolledBack.get(), writers.aborted.get(), WRITERS, received.size(),
                captured, derived, derivedTwice, deadLetters, mismatched.size(), stalled, caughtUpAt, SEED);

        assertThat(writers.committed.get()).as("the writers committed something").isPositive();
        assertThat(lost.stream().limit(20).toList()).as(lost.size() + " expected events never received (seed " + SEED + ")").isEmpty();
        assertThat(unexpected.stream().limit(20).toList()).as(unexpected.size() + " received events the history does not imply (seed " + SEED + ")")
                .isEmpty();
        assertThat(duplicateKeys(postsPerKey)).as("keys POSTed more than once (bound 0 with a healthy receiver)").isEmpty();
        assertThat(mismatched.stream().limit(20).toList()).as(mismatched.size() + " payloads that disagree with the row version that derived them").isEmpty();
        assertThat(derivedTwiceKeys).as(derivedTwice + " extra events on the event topic: keys derived more than once (first 20)").isEmpty();
        assertThat(captured).as("row changes on the change topic vs committed row versions in the history").isEqualTo(history.size());
        assertThat(deadLetters).as("dead letters in a healthy run").isZero();
        assertThat(stalled).as("every stage caught up").isEqualTo("none");
    }

    // ---- the oracle -----------------------------------------------------------------------------------------------

    private List<Version> history() throws SQLException {
        List<Version> versions = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT seq, op, appointment_id, status, notes FROM soak_history ORDER BY seq")) {
            while (rows.next()) {
                versions.add(new Version(rows.getLong(1), rows.getString(2).charAt(0), rows.getLong(3), rows.getString(4), rows.getString(5)));
            }
        }
        return versions;
    }

    /**
     * The derive rules, restated: an insert as pending or confirmed derives {@code created}; the first version that is
     * confirmed (inserted so, or updated to it, whatever came between) derives {@code confirmed}; nothing else derives.
     * Keyed by idempotency key, with the row version each event must carry.
     */
    static Map<String, Version> expectedEvents(List<Version> history) {
        Map<String, Version> expected = new LinkedHashMap<>();
        Map<Long, List<Version>> byAppointment = history.stream()
                .collect(Collectors.groupingBy(Version::appointmentId, LinkedHashMap::new, Collectors.toList()));
        for (List<Version> versions : byAppointment.values()) {
            boolean created = false;
            boolean confirmed = false;
            for (Version version : versions) { // in seq order: one row's versions in commit order
                boolean isConfirmed = CONFIRMED.equals(version.status());
                if (version.op() == 'c' && !created && (PENDING.equals(version.status()) || isConfirmed)) {
                    created = true;
                    expected.put(key(version.appointmentId(), "created"), version);
                }
                if (version.op() != 'd' && isConfirmed && !confirmed) {
                    confirmed = true;
                    expected.put(key(version.appointmentId(), "confirmed"), version);
                }
            }
        }
        return expected;
    }

    private static String key(long appointmentId, String eventType) {
        return "appointment:" + appointmentId + ":" + eventType;
    }

    /** Each received payload against the row version that should have derived it: id, status, notes, event type. */
    private List<String> mismatches(Map<String, Version> expected) {
        List<String> wrong = new ArrayList<>();
        for (Received post : received) {
            try {
                JsonNode event = Json.mapper().readTree(post.body());
                String key = event.path("idempotency_key").asText();
                String type = event.path("event_type").asText();
                JsonNode appointment = event.path("appointment");
                List<String> problems = new ArrayList<>();
                if (!key.equals(post.idempotencyKey())) {
                    problems.add("body key " + key);
                }
                if (!key.endsWith(":" + type) || !type.equals(post.eventType())) {
                    problems.add("event_type " + type + " (header " + post.eventType() + ")");
                }
                if (!key.equals(key(appointment.path("id").asLong(), type))) {
                    problems.add("appointment id " + appointment.path("id"));
                }
                Version version = expected.get(post.idempotencyKey());
                if (version != null) {
                    if (!Objects.equals(version.status(), appointment.path("status").asText(null))) {
                        problems.add("status " + appointment.path("status") + ", history says " + version.status());
                    }
                    if (!Objects.equals(version.notes(), appointment.path("notes").asText(null))) {
                        problems.add("notes " + appointment.path("notes") + ", history says " + version.notes());
                    }
                }
                if (!problems.isEmpty()) {
                    wrong.add(post.idempotencyKey() + ": " + String.join(", ", problems));
                }
            } catch (Exception e) {
                wrong.add(post.idempotencyKey() + ": unreadable body (" + e.getMessage() + ")");
            }
        }
        return wrong;
    }

    private static Map<String, Long> duplicateKeys(Map<String, Long> postsPerKey) {
        return postsPerKey.entrySet().stream().filter(entry -> entry.getValue() > 1).limit(20)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    // ---- waiting for the pipeline to go quiet ---------------------------------------------------------------------

    private long captured;
    private long derived;
    private long derivedTwice;
    private Map<String, Long> derivedTwiceKeys = Map.of();
    private long deadLetters;
    /** When each stage was seen caught up, from the first write. */
    private final Map<String, Double> caughtUpAt = new LinkedHashMap<>();
    private long firstWrite;

    private void caughtUp(String stage) {
        caughtUpAt.put(stage, Math.round((System.nanoTime() - firstWrite) / 1e8) / 10.0);
    }

    /**
     * Waits for each stage in turn to have handled everything before it, and reads what it produced on the way.
     * Returns the stage that did not catch up in time, or "none"; the comparison is reported either way.
     */
    private String awaitQuiet(BookhookSettings settings, String lastWrite, Admin admin, KafkaConsumer<byte[], byte[]> reader) {
        String changeTopic = settings.topics().cdcTopic(APPOINTMENT_TABLE);
        String eventTopic = settings.topics().appointmentEvents();
        try {
            // Capture confirms a position to the slot only after Kafka acknowledged everything before it.
            await("capture confirms past the last write " + lastWrite).atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> "true".equals(stack.postgres().queryOne(database, "SELECT (confirmed_flush_lsn >= '" + lastWrite
                            + "'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = '" + settings.capture().slotName() + "'")));
        } catch (ConditionTimeoutException e) {
            return "capture";
        }
        caughtUp("capture");
        List<ConsumerRecord<byte[], byte[]>> changes = readAll(reader, changeTopic);
        captured = changes.stream().filter(change -> change.value() != null).count();
        Map<TopicPartition, Long> changesEnd = nextOffsets(changes);
        try {
            await("derive commits past the last change").atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> committedPast(admin, settings.derive().applicationId(), changesEnd));
        } catch (ConditionTimeoutException e) {
            return "derive";
        }
        caughtUp("derive");
        List<ConsumerRecord<byte[], byte[]>> events = readAll(reader, eventTopic);
        derived = events.size();
        Map<String, Long> derivedPerKey = events.stream()
                .collect(Collectors.groupingBy(event -> new String(event.key(), StandardCharsets.UTF_8), Collectors.counting()));
        derivedTwice = events.size() - derivedPerKey.size();
        derivedTwiceKeys = duplicateKeys(derivedPerKey);
        deadLetters = readAll(reader, settings.topics().deadLetter()).size();
        Map<TopicPartition, Long> eventsEnd = nextOffsets(events);
        try {
            await("the sink commits past the last event").atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> committedPast(admin, settings.sink().groupId(), eventsEnd));
        } catch (ConditionTimeoutException e) {
            return "sink";
        }
        caughtUp("sink");
        return "none";
    }

    private static boolean committedPast(Admin admin, String group, Map<TopicPartition, Long> next) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return next.entrySet().stream().allMatch(entry -> committed.get(entry.getKey()) != null
                && committed.get(entry.getKey()).offset() >= entry.getValue());
    }

    /** Per partition, the offset after the last record read. */
    private static Map<TopicPartition, Long> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.toMap(record -> new TopicPartition(record.topic(), record.partition()),
                record -> record.offset() + 1, Math::max));
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "isolation.level", "read_committed",
                "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every committed record of {@code topic} up to its end now (the last stable offset, read_committed). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> reader, String topic) {
        List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + topic + " up to " + end + " within " + STAGE_TIMEOUT);
            }
            reader.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        reader.unsubscribe();
        return records;
    }

    // ---- the writers: several connections playing the booking app -------------------------------------------------

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
    }

    /** Random transactions from {@link #WRITERS} connections until {@link #OPERATIONS} row statements were attempted. */
    private final class Writers {

        private final long seed;
        private final AtomicInteger budget = new AtomicInteger(OPERATIONS);
        /** Ids the writers got back from inserts, committed or not: a rolled-back or deleted one just updates nothing. */
        private final List<Long> known = new ArrayList<>();
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger rolledBack = new AtomicInteger();
        final AtomicInteger aborted = new AtomicInteger();

        Writers(long seed) {
            this.seed = seed;
        }

        void run() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<Void>> running = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    Random random = new Random(seed + writer);
                    running.add(pool.submit((Callable<Void>) () -> {
                        write(random);
                        return null;
                    }));
                }
                for (Future<Void> writer : running) {
                    writer.get(STAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void write(Random random) throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                while (budget.get() > 0) {
                    int statements = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(3);
                    try {
                        for (int i = 0; i < statements && budget.getAndDecrement() > 0; i++) {
                            statement(connection, random);
                        }
                        if (random.nextInt(10) == 0) {
                            connection.rollback();
                            rolledBack.incrementAndGet();
                        } else {
                            connection.commit();
                            committed.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        connection.rollback();
                        if (!CONTENTION.contains(e.getSQLState())) {
                            throw e;
                        }
                        aborted.incrementAndGet();
                    }
                }
            }
        }

        private void statement(Connection connection, Random random) throws SQLException {
            int dice = random.nextInt(100);
            if (dice < 30 || noneKnown()) {
                String status = random.nextInt(20) == 0 ? "cancelled" : random.nextInt(4) == 0 ? CONFIRMED : PENDING;
                insert(connection, random, status, 1);
            } else if (dice < 34) {
                insert(connection, random, random.nextBoolean() ? PENDING : CONFIRMED, 2 + random.nextInt(4));
            } else if (dice < 62) {
                String[] statuses = {CONFIRMED, CONFIRMED, CONFIRMED, PENDING, PENDING, "cancelled", "completed"};
                update(connection, "UPDATE " + APPOINTMENT_TABLE + " SET status = ?, updated_at = now() WHERE id = ?",
                        statuses[random.nextInt(statuses.length)], pick(random));
            } else if (dice < 67) {
                // confirmed, back to pending, confirmed again, in one transaction: one confirmed event at most
                long id = pick(random);
                for (String status : List.of(CONFIRMED, PENDING, CONFIRMED)) {
                    update(connection, "UPDATE " + APPOINTMENT_TABLE + " SET status = ?, updated_at = now() WHERE id = ?", status, id);
                }
            } else if (dice < 82) {
                update(connection, "UPDATE " + APPOINTMENT_TABLE + " SET notes = ?, updated_at = now() WHERE id = ?",
                        "note " + random.nextInt(1_000_000), pick(random));
            } else if (dice < 88) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + APPOINTMENT_TABLE + " SET status = ?, updated_at = now() WHERE id = ANY (?)")) {
                    Long[] ids = random.ints(2 + random.nextInt(4)).mapToObj(i -> pick(random)).distinct().toArray(Long[]::new);
                    Array array = connection.createArrayOf("bigint", ids);
                    update.setString(1, random.nextBoolean() ? CONFIRMED : PENDING);
                    update.setArray(2, array);
                    update.executeUpdate();
                }
            } else {
                update(connection, "DELETE FROM " + APPOINTMENT_TABLE + " WHERE id = ?", null, pick(random));
            }
        }

        private void insert(Connection connection, Random random, String status, int rows) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + APPOINTMENT_TABLE
                    + " (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, notes)"
                    + " SELECT ?, 1, ?, ?, now() + make_interval(mins => ?), now() + make_interval(mins => ?) + interval '45 minutes', ?, ?"
                    + " FROM generate_series(1, ?) RETURNING id")) {
                int minutes = random.nextInt(60 * 24 * 30);
                insert.setLong(1, 1 + random.nextInt(5));
                if (random.nextInt(4) == 0) {
                    insert.setNull(2, java.sql.Types.BIGINT);
                } else {
                    insert.setLong(2, 1 + random.nextInt(2));
                }
                insert.setLong(3, 1 + random.nextInt(2));
                insert.setInt(4, minutes);
                insert.setInt(5, minutes);
                insert.setString(6, status);
                insert.setString(7, "booked " + random.nextInt(1_000_000));
                insert.setInt(8, rows);
                try (ResultSet ids = insert.executeQuery()) {
                    while (ids.next()) {
                        synchronized (known) {
                            known.add(ids.getLong(1));
                        }
                    }
                }
            }
        }

        private void update(Connection connection, String sql, String value, long id) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                int index = 1;
                if (value != null) {
                    update.setString(index++, value);
                }
                update.setLong(index, id);
                update.executeUpdate();
            }
        }

        private boolean noneKnown() {
            synchronized (known) {
                return known.isEmpty();
            }
        }

        /** Mostly one of the latest appointments, so that the connections contend for the same rows; sometimes any. */
        private long pick(Random random) {
            synchronized (known) {
                int size = known.size();
                int index = random.nextInt(10) < 7 ? size - 1 - random.nextInt(Math.min(size, 50)) : random.nextInt(size);
                return known.get(index);
            }
        }
    }
}
