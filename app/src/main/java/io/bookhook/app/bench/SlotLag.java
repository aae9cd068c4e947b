package io.bookhook.app.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How far the replication slot's confirmed position is behind the server's current WAL position, in bytes: WAL that
 * Postgres keeps for capture.
 */
public final class SlotLag implements AutoCloseable {

    private static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
            + "FROM pg_replication_slots WHERE slot_name = ?";

    private final Connection db;
    private final PreparedStatement query;

    private SlotLag(Connection db, String slotName) throws SQLException {
        this.db = db;
        this.query = db.prepareStatement(QUERY);
        query.setString(1, slotName);
    }

    public static SlotLag open(String jdbcUrl, String user, String password, String slotName) throws SQLException {
        Connection db = DriverManager.getConnection(jdbcUrl, user, password);
        try {
            return new SlotLag(db, slotName);
        } catch (SQLException e) {
            db.close();
            throw e;
        }
    }

    /** Bytes of lag now, or -1 when the slot is missing or has not confirmed anything yet. */
    public synchronized long bytes() throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return -1;
            }
            long lag = rs.getLong(1);
            return rs.wasNull() ? -1 : lag;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
