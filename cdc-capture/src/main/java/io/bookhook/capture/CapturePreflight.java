package io.bookhook.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks what Debezium would otherwise report as a long stack trace, or not at all: that Postgres can be
 * reached with these credentials, that {@code wal_level} is logical, and that every captured table exists.
 */
public final class CapturePreflight {

    private CapturePreflight() {
    }

    public static void check(CaptureSettings settings) {
        PostgresConnection pg = settings.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            checkWalLevel(connection);
            for (String table : settings.tables()) {
                checkTableExists(connection, settings.schema(), table);
            }
        } catch (SQLException e) {
            throw new CaptureFailedException("cannot connect to Postgres " + pg + ": " + firstLine(e.getMessage()), e);
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

    private static void checkTableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new CaptureFailedException("table " + schema + "." + table + " does not exist in Postgres");
                }
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
