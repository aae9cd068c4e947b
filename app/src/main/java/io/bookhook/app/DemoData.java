package io.bookhook.app;

import io.bookhook.schemas.EventType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Plays the booking app: writes a salon, stylists, services and customers, books three appointments (one of
 * them together with its new customer, in one transaction, as a booking form would) and confirms one.
 */
final class DemoData {

    /** Three created events and one confirmed. */
    /** Events the sample bookings derive: three created, one confirmed, all at the one salon (id 1 in a fresh schema). */
    static final int CREATED_EVENTS = 3;
    static final int CONFIRMED_EVENTS = 1;
    static final String SALON_ID = "1";

    /** Deliveries the sample bookings make: each endpoint gets the events its filters select. */
    static int expectedDeliveries(java.util.List<io.bookhook.sink.EndpointSettings> endpoints) {
        int total = 0;
        for (io.bookhook.sink.EndpointSettings endpoint : endpoints) {
            if (!endpoint.salons().isEmpty() && !endpoint.salons().contains(SALON_ID)) {
                continue;
            }
            boolean all = endpoint.events().isEmpty();
            total += (all || endpoint.events().contains(EventType.CREATED) ? CREATED_EVENTS : 0)
                    + (all || endpoint.events().contains(EventType.CONFIRMED) ? CONFIRMED_EVENTS : 0);
        }
        return total;
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;

    DemoData(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    record Booked(Instant firstAppointmentInsertedAt) {
    }

    Booked insertAndConfirm() throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            long salon = insert(db, "INSERT INTO appointments_salon (name, address, phone) VALUES ('Studio Seven', '7 Harbour Road', '02-2345-6789')");
            long ana = insert(db, "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (" + salon + ", 'Ana', '0955-123-456')");
            long ben = insert(db, "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (" + salon + ", 'Ben', '0933 222 111')");
            long cut = insert(db, "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (" + salon + ", 'Cut and style', 45, 42.00)");
            long colour = insert(db, "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (" + salon + ", 'Colour', 90, 85.00)");
            long mei = insert(db, "INSERT INTO appointments_customer (name, phone, email) VALUES ('Lin Mei-hua', '0912-345-4567', 'meihua@example.com')");
            long wei = insert(db, "INSERT INTO appointments_customer (name, phone, email) VALUES ('Chen Wei', '+886 922 111 333', 'wei@example.com')");

            Instant firstInsertAt = Instant.now();
            long first = book(db, mei, salon, ana, cut, "2026-12-03 14:00+00", "2026-12-03 14:45+00");
            book(db, wei, salon, ben, colour, "2026-12-03 15:00+00", "2026-12-03 16:30+00");

            db.setAutoCommit(false);
            long sara = insert(db, "INSERT INTO appointments_customer (name, phone, email) VALUES ('Sara Lopez', '0977 888 999', 'sara@example.com')");
            book(db, sara, salon, ana, cut, "2026-12-04 10:00+00", "2026-12-04 10:45+00");
            db.commit();
            db.setAutoCommit(true);

            try (Statement statement = db.createStatement()) {
                statement.executeUpdate("UPDATE appointments_appointment SET status = 'confirmed', updated_at = now() WHERE id = " + first);
            }
            return new Booked(firstInsertAt);
        }
    }

    private static long book(Connection db, long customer, long salon, long stylist, long service, String startsAt, String endsAt)
            throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("INSERT INTO appointments_appointment "
                + "(customer_id, salon_id, stylist_id, service_id, starts_at, ends_at, status, notes) "
                + "VALUES (?, ?, ?, ?, ?::timestamptz, ?::timestamptz, 'pending', 'booked in the bookhook demo') RETURNING id")) {
            statement.setLong(1, customer);
            statement.setLong(2, salon);
            statement.setLong(3, stylist);
            statement.setLong(4, service);
            statement.setString(5, startsAt);
            statement.setString(6, endsAt);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long insert(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql + " RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
