package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.embedded.Directories;
import io.bookhook.embedded.EmbeddedPostgres.ShutdownMode;
import io.bookhook.embedded.EmbeddedPostgres;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.StaleRunCleaner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md item 4: the booking database restarted twice while the app books and confirms appointments,
 * once with a fast shutdown (sessions cut, checkpoint) and once with an immediate one (no checkpoint, crash
 * recovery at start). The pipeline runs on a Postgres of its own (the shared one serves other tests) and must
 * reconnect by itself. What is expected comes from the database's final state: every appointment is delivered
 * {@code created}, every confirmed one {@code confirmed}; nothing is lost and nothing is posted twice.
 */
class PostgresRestartIT {

    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(90);

    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private Path runDir;
    private EmbeddedPostgres postgres;
    private String database;
    private Map<String, String> environment;

    @BeforeEach
    void receiverAndOwnPostgres() throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        runDir = StaleRunCleaner.newRunDir(StaleRunCleaner.defaultBase());
        postgres = EmbeddedPostgres.start(runDir);
        database = SharedEmbeddedStack.uniqueName("pg_restart");
        String jdbcUrl = postgres.createReferenceDatabase(database);
        environment = TestEnvironments.pipeline(stack, database, receiver.url().toString(), "restart-secret");
        environment.put("BOOKHOOK_POSTGRES_PORT", Integer.toString(postgres.port()));
    }

    @AfterEach
    void stopAll() {
        receiver.close();
        postgres.close();
        Directories.deleteQuietly(runDir);
    }

    @Test
    void postgres_restarted_fast_then_immediately_while_the_app_writes_loses_nothing_and_posts_nothing_twice() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writerConnectionFailures = new AtomicInteger();
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            postgres.execute(database, "INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-456')",
                    "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                    "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> bookAndConfirmUntilStopped(writing, writerConnectionFailures));
            try {
                for (ShutdownMode mode : List.of(ShutdownMode.FAST, ShutdownMode.IMMEDIATE)) {
                    awaitPostedAtLeast(receiver.posts().size() + 20);
                    String walSenderBefore = walSenderPid(settings);
                    postgres.restart(mode);
                    // Capture finds the new server by itself (Debezium waits 10 s before it restarts its task).
                    await("capture streaming through a new WAL sender after the " + mode + " restart").atMost(PROGRESS_TIMEOUT)
                            .until(() -> walSenderPid(settings), pid -> pid != null && !pid.equals(walSenderBefore));
                    long bookedAfterReconnect = Long.parseLong(awaitAppointmentBooked());
                    await("an appointment booked after the " + mode + " restart delivered").atMost(PROGRESS_TIMEOUT)
                            .until(() -> receiver.keys().contains("appointment:" + bookedAfterReconnect + ":created"));
                }
            } finally {
                writing.set(false);
                writer.join();
            }

            Set<String> expected = expectedFromFinalState();
            await().atMost(PROGRESS_TIMEOUT).until(() -> receiver.keys().containsAll(expected));
            long lost = expected.stream().filter(key -> !receiver.keys().contains(key)).count();
            long postedTwice = receiver.posts().size() - receiver.keys().size();
            System.out.printf("postgres restarted fast and immediately: appointments=%s expected=%d lost=%d posted twice=%d"
                    + " writer connection failures=%d (bounds 0, 0)%n", postgres.queryOne(database, "SELECT count(*) FROM appointments_appointment"),
                    expected.size(), lost, postedTwice, writerConnectionFailures.get());
            assertThat(writerConnectionFailures.get()).as("the writer was cut off by the restarts").isGreaterThanOrEqualTo(2);
            assertThat(receiver.keys()).isEqualTo(expected);
            assertThat(postedTwice).as("no delivery posted again").isZero();
            assertThat(pipeline.sink().stopped()).as("the sink rode it out").isNotDone();
        }
    }

    private void awaitPostedAtLeast(int count) {
        await().atMost(PROGRESS_TIMEOUT).until(() -> receiver.posts().size() >= count);
    }

    /** The id of an appointment booked from now on: the writer reconnects on its own after a restart. */
    private String awaitAppointmentBooked() {
        String last = postgres.queryOne(database, "SELECT coalesce(max(id), 0)::text FROM appointments_appointment");
        return await().atMost(PROGRESS_TIMEOUT).until(
                () -> postgres.queryOne(database, "SELECT min(id)::text FROM appointments_appointment WHERE id > " + last), id -> id != null);
    }

    private String walSenderPid(BookhookSettings settings) {
        return postgres.queryOne(database, "SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = '"
                + settings.capture().slotName() + "' AND active");
    }

    /** Every appointment in the database was created; the confirmed ones were confirmed (none goes back here). */
    private Set<String> expectedFromFinalState() throws SQLException {
        Set<String> expected = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.user(), postgres.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, status FROM appointments_appointment")) {
            while (rows.next()) {
                expected.add("appointment:" + rows.getLong(1) + ":created");
                if ("confirmed".equals(rows.getString(2))) {
                    expected.add("appointment:" + rows.getLong(1) + ":confirmed");
                }
            }
        }
        return expected;
    }

    /**
     * Plays the booking app: one appointment per transaction, every second one confirmed in a later transaction.
     * When the server goes away it reconnects and goes on; a statement cut mid-flight is not retried, so what was
     * committed is whatever the database holds at the end.
     */
    private void bookAndConfirmUntilStopped(AtomicBoolean writing, AtomicInteger connectionFailures) {
        while (writing.get()) {
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.user(), postgres.password());
                    Statement statement = connection.createStatement()) {
                while (writing.get()) {
                    try (ResultSet booked = statement.executeQuery("INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id,"
                            + " service_id, starts_at, ends_at) VALUES (1, 1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00') RETURNING id")) {
                        booked.next();
                        long id = booked.getLong(1);
                        if (id % 2 == 0) {
                            statement.execute("UPDATE appointments_appointment SET status = 'confirmed' WHERE id = " + id);
                        }
                    }
                    Thread.sleep(15);
                }
            } catch (SQLException serverGone) {
                connectionFailures.incrementAndGet();
                pauseBeforeReconnecting();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pauseBeforeReconnecting() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
