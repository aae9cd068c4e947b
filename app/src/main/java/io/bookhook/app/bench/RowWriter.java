package io.bookhook.app.bench;

import io.bookhook.app.bench.LatencyLog.EventKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays the booking app for the bench: one salon, stylist and service and a pool of customers, then appointments
 * booked as {@code pending} in one transaction and confirmed in the next, as the booking app does (a {@code created}
 * and a {@code confirmed} webhook each): one row per transaction on a fixed schedule, or a backlog in large
 * transactions. Writes the reference schema's tables.
 */
public final class RowWriter implements AutoCloseable {

    public static final int CUSTOMERS = 100;

    private static final String BOOK = "INSERT INTO appointments_appointment "
            + "(customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, notes) "
            + "VALUES (?, ?, ?, ?, now() + interval '1 day', now() + interval '1 day 45 minutes', 'pending', 'bookhook bench') RETURNING id";
    private static final String BOOK_MANY = "INSERT INTO appointments_appointment "
            + "(customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, notes) "
            + "SELECT (?::bigint[])[1 + g % ?], ?, ?, ?, now() + interval '1 day', now() + interval '1 day 45 minutes', 'pending', "
            + "'bookhook bench backlog' FROM generate_series(1, ?) AS g RETURNING id";
    private static final String CONFIRM = "UPDATE appointments_appointment SET status = 'confirmed', updated_at = now() WHERE id = ?";
    private static final String CONFIRM_MANY = "UPDATE appointments_appointment SET status = 'confirmed', updated_at = now() "
            + "WHERE id = ANY(?)";

    private final Connection db;
    private final long[] customers;
    private final long salon;
    private final long stylist;
    private final long service;
    private final RowPhases phases;
    private final AtomicLong transactions = new AtomicLong();

    /**
     * What the paced phase did: transactions committed of those scheduled, appointments booked (each confirmed unless
     * the phase ran out of time between the two), from when to when (wall clock ms).
     */
    public record Paced(long transactions, long scheduled, long appointments, long startMs, long endMs) {
        public double achievedPerSecond() {
            return endMs <= startMs ? 0 : transactions * 1000.0 / (endMs - startMs);
        }
    }

    /** What the backlog phase did: appointments booked and confirmed, from when to when (wall clock ms). */
    public record Backlog(long appointments, long startMs, long endMs) {
    }

    private RowWriter(Connection db, long[] customers, long salon, long stylist, long service, RowPhases phases) {
        this.db = db;
        this.customers = customers;
        this.salon = salon;
        this.stylist = stylist;
        this.service = service;
        this.phases = phases;
    }

    /**
     * Connects, notes the highest appointment id already there (the bench's rows come after it) and inserts the salon,
     * stylist, service and customers the appointments refer to.
     */
    public static RowWriter open(String jdbcUrl, String user, String password) throws SQLException {
        Connection db = DriverManager.getConnection(jdbcUrl, user, password);
        try {
            long firstId;
            try (Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM appointments_appointment")) {
                rs.next();
                firstId = rs.getLong(1);
            }
            long salon = insertOne(db, "INSERT INTO appointments_salon (name, address, phone) "
                    + "VALUES ('Bench Salon', '1 Load Street', '02-2345-6789') RETURNING id");
            long stylist = insertOne(db, "INSERT INTO appointments_stylist (salon_id, name, phone) "
                    + "VALUES (" + salon + ", 'Bench Stylist', '0955-123-456') RETURNING id");
            long service = insertOne(db, "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) "
                    + "VALUES (" + salon + ", 'Bench Cut', 45, 42.00) RETURNING id");
            long[] customers = new long[CUSTOMERS];
            try (Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("INSERT INTO appointments_customer (name, phone, email) "
                         + "SELECT 'Customer ' || g, '0912-345-' || lpad(g::text, 4, '0'), 'customer' || g || '@example.com' "
                         + "FROM generate_series(1, " + CUSTOMERS + ") AS g RETURNING id")) {
                for (int i = 0; rs.next(); i++) {
                    customers[i] = rs.getLong(1);
                }
            }
            return new RowWriter(db, customers, salon, stylist, service, new RowPhases(firstId));
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public RowPhases phases() {
        return phases;
    }

    /** Transactions committed so far, all phases. */
    public long transactions() {
        return transactions.get();
    }

    /**
     * {@code rate × duration / 2} appointments in single-row transactions, {@code rate} transactions a second: transaction
     * 2k books appointment k, transaction 2k + 1 confirms it. Transaction i is due at start + i / rate (an absolute
     * schedule: a late one does not push the later ones back, it runs at once); the phase stops at the end of
     * {@code duration} (plus a second of grace) even if the database could not keep up.
     */
    public Paced paced(int rate, Duration duration, Duration warmup) throws SQLException {
        long scheduled = (long) rate * duration.toMillis() / 1000 / 2 * 2;
        long startNanos = System.nanoTime();
        long startMs = System.currentTimeMillis();
        phases.pacedStarted(startMs, warmup.toMillis());
        long deadline = startNanos + duration.toNanos() + Duration.ofSeconds(1).toNanos();
        long done = 0;
        long appointment = 0;
        try (PreparedStatement book = db.prepareStatement(BOOK); PreparedStatement confirm = db.prepareStatement(CONFIRM)) {
            for (long i = 0; i < scheduled; i++) {
                long due = startNanos + i * 1_000_000_000L / rate;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                if (i % 2 == 0) {
                    appointment = book(book, customers[(int) (i / 2 % customers.length)]);
                    phases.addPaced(appointment, EventKind.CREATED);
                } else {
                    confirm.setLong(1, appointment);
                    confirm.executeUpdate();
                    phases.addPaced(appointment, EventKind.CONFIRMED);
                }
                done++;
                transactions.incrementAndGet();
            }
        }
        long endMs = Math.max(System.currentTimeMillis(), startMs + duration.toMillis());
        return new Paced(done, scheduled, (done + 1) / 2, startMs, endMs);
    }

    private long book(PreparedStatement book, long customer) throws SQLException {
        book.setLong(1, customer);
        book.setLong(2, salon);
        book.setLong(3, stylist);
        book.setLong(4, service);
        try (ResultSet rs = book.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code rows} appointments as fast as the database takes them: {@code perTransaction} booked in one transaction,
     * then the same confirmed in the next.
     */
    public Backlog backlog(int rows, int perTransaction) throws SQLException {
        long startMs = System.currentTimeMillis();
        Array customerIds = db.createArrayOf("bigint", Arrays.stream(customers).boxed().toArray());
        db.setAutoCommit(false);
        long done = 0;
        try (PreparedStatement book = db.prepareStatement(BOOK_MANY); PreparedStatement confirm = db.prepareStatement(CONFIRM_MANY)) {
            for (int left = rows; left > 0; left -= perTransaction) {
                int batch = Math.min(left, perTransaction);
                book.setArray(1, customerIds);
                book.setInt(2, customers.length);
                book.setLong(3, salon);
                book.setLong(4, stylist);
                book.setLong(5, service);
                book.setInt(6, batch);
                long[] ids = new long[batch];
                int n = 0;
                try (ResultSet rs = book.executeQuery()) {
                    while (rs.next()) {
                        ids[n++] = rs.getLong(1);
                    }
                }
                db.commit();
                for (int i = 0; i < n; i++) {
                    phases.addBacklog(ids[i], EventKind.CREATED);
                }
                confirm.setArray(1, db.createArrayOf("bigint", Arrays.stream(ids, 0, n).boxed().toArray()));
                confirm.executeUpdate();
                db.commit();
                for (int i = 0; i < n; i++) {
                    phases.addBacklog(ids[i], EventKind.CONFIRMED);
                }
                transactions.addAndGet(2);
                done += n;
            }
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
        return new Backlog(done, startMs, System.currentTimeMillis());
    }

    private static long insertOne(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
