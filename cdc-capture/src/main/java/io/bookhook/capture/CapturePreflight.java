package io.bookhook.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks what Debezium would otherwise report as a long stack trace, or not at all: that Postgres can be
 * reached with these credentials, that {@code wal_level} is logical, that every table and column the
 * mapping names exists, and that capture's role holds every privilege capture needs ({@link CapturePrivileges}).
 * Then creates bookhook's heartbeat table.
 */
public final class CapturePreflight {

    private CapturePreflight() {
    }

    public static void check(CaptureSettings settings) {
        PostgresConnection pg = settings.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            checkWalLevel(connection);
            for (SchemaRequirement requirement : settings.requirements()) {
                check(connection, settings.schema(), requirement);
            }
            // Before anything is created: a role that cannot finish would otherwise leave a heartbeat table behind,
            // or Debezium a publication without a slot.
            CapturePrivileges.check(connection, settings);
            HeartbeatTable.create(connection, settings.schema(), settings.heartbeatTable());
        } catch (SQLException e) {
            throw new CaptureFailedException("cannot connect to Postgres " + pg + ": "
                    + PostgresTlsFailure.explain(e, pg).orElseGet(() -> firstLine(e.getMessage())), e);
        }
    }

    private static void checkWalLevel(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW wal_level")) {
            rs.next();
            String walLevel = rs.getString(1);
            if (!"logical".equals(walLevel)) {
                throw new CaptureFailedException("Postgres wal_level is '" + walLevel
                        + "' but capture needs 'logical': set wal_level=logical in postgresql.conf and restart Postgres");
            }
        }
    }

    private static void check(Connection connection, String schema, SchemaRequirement requirement) throws SQLException {
        if (exists(connection, schema, requirement.table(), requirement.column())) {
            return;
        }
        String what = requirement.column() == null
                ? "table " + schema + "." + requirement.table()
                : "column " + schema + "." + requirement.table() + "." + requirement.column();
        throw new CaptureFailedException(what + " does not exist in Postgres (named by " + requirement.setting() + ")");
    }

    private static boolean exists(Connection connection, String schema, String table, String column) throws SQLException {
        // From the catalog, not information_schema: that hides what the role holds no privilege on, and a missing
        // grant must be reported as one, not as a missing table.
        String sql = column == null
                ? "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'f')"
                : "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
                        + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'f')"
                        + " AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            if (column != null) {
                statement.setString(3, column);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
