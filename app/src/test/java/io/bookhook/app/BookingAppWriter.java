package io.bookhook.app;

import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the booking app on the reference schema: plain SQL, one transaction per statement, ids taken from what
 * Postgres returned; every second appointment is confirmed in a later transaction. An event is expected once its
 * statement committed.
 */
final class BookingAppWriter {

    private final String jdbcUrl;
    private final EmbeddedStack stack;
    private final int maxAppointments;
    private final Duration pause;
    final AtomicInteger inserted = new AtomicInteger();
    private final Set<String> expected = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    volatile Throwable failure;
    private long salon;
    private long stylist;
    private long service;
    private final List<Long> customers = new ArrayList<>();

    /** Books up to {@code maxAppointments}, pausing {@code pause} after each statement. */
    BookingAppWriter(String jdbcUrl, EmbeddedStack stack, int maxAppointments, Duration pause) {
        this.jdbcUrl = jdbcUrl;
        this.stack = stack;
        this.maxAppointments = maxAppointments;
        this.pause = pause;
    }

    void relatedRows() throws Exception {
        try (Connection connection = connect()) {
            salon = insert(connection, "INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789') RETURNING id");
            stylist = insert(connection, "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (" + salon
                    + ", 'Ana', '0955-123-456') RETURNING id");
            service = insert(connection, "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES ("
                    + salon + ", 'Cut', 45, 42.00) RETURNING id");
            for (int i = 0; i < 5; i++) {
                customers.add(insert(connection, "INSERT INTO appointments_customer (name, phone, email) VALUES ('Customer "
                        + i + "', '0912-345-45" + i + "0', 'c" + i + "@example.com') RETURNING id"));
            }
        }
    }

    /** Books appointments until {@link #stop()} or the maximum; run it on a thread of its own. */
    void appointments() {
        try (Connection connection = connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO appointments_appointment "
                        + "(customer_id, salon_id, stylist_id, service_id, starts_at, ends_at) "
                        + "VALUES (?, ?, ?, ?, now() + make_interval(hours => ?), now() + make_interval(hours => ?, mins => 45)) RETURNING id");
                PreparedStatement confirm = connection.prepareStatement(
                        "UPDATE appointments_appointment SET status = 'confirmed', updated_at = now() WHERE id = ?")) {
            for (int i = 0; i < maxAppointments && !stopped.get(); i++) {
                insert.setLong(1, customers.get(i % customers.size()));
                insert.setLong(2, salon);
                insert.setLong(3, stylist);
                insert.setLong(4, service);
                insert.setInt(5, 24 + i);
                insert.setInt(6, 24 + i);
                long id;
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                expected.add(IdempotencyKey.of(id, EventType.CREATED).toString());
                inserted.incrementAndGet();
                Thread.sleep(pause.toMillis());
                if (i % 2 == 1) {
                    confirm.setLong(1, id);
                    if (confirm.executeUpdate() != 1) {
                        throw new IllegalStateException("appointment " + id + " was not confirmed");
                    }
                    expected.add(IdempotencyKey.of(id, EventType.CONFIRMED).toString());
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (Exception e) {
            failure = e;
            throw new IllegalStateException("writer failed", e);
        }
    }

    void stop() {
        stopped.set(true);
    }

    /** How many events the committed statements so far should derive. */
    int expectedCount() {
        return expected.size();
    }

    Set<String> expectedKeys() {
        return new LinkedHashSet<>(expected);
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
    }

    private static long insert(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
