package io.bookhook.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** bookhook's one table in the booking database: a single row capture rewrites on every heartbeat. */
final class HeartbeatTable {

    private HeartbeatTable() {
    }

    /**
     * Creates the table unless it exists: {@code CREATE TABLE IF NOT EXISTS} would still need CREATE on the schema,
     * which a role writing to a table made for it by someone else does not need.
     */
    static void create(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            exists.setString(1, schema);
            exists.setString(2, table);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + qualified(schema, table)
                    + " (id integer PRIMARY KEY, beat_at timestamptz NOT NULL)");
        }
    }

    static String upsert(String schema, String table) {
        return "INSERT INTO " + qualified(schema, table) + " (id, beat_at) VALUES (1, now()) "
                + "ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";
    }

    private static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
