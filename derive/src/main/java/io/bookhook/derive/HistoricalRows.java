package io.bookhook.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The booking app's appointment rows whose time column falls in a range, read in one consistent snapshot of Postgres (a
 * {@code REPEATABLE READ READ ONLY} transaction held open for the whole read): every chunk and every related row is
 * from the same moment, so rows committed while the read runs are neither half in nor read twice, and the stream
 * delivers those. Chunks go by the appointment id (keyset: {@code id > last id}), so none is skipped or repeated
 * however large the range. Bookhook only reads: nothing is written to the app's database.
 *
 * <p>Rows are turned into JSON the way capture writes them to the raw topics ({@link CapturedRowJson}), so a backfilled
 * payload is the streamed one.
 */
public final class HistoricalRows implements AutoCloseable {

    /** One appointment row, with the time column's value and its id as JDBC read it (for the next chunk's key). */
    public record Row(Object key, ObjectNode row, Instant time) {
    }

    private final Connection connection;
    private final String schema;
    private final TableMapping mapping;
    private final String timeColumn;

    private HistoricalRows(Connection connection, String schema, TableMapping mapping, String timeColumn) {
        this.connection = connection;
        this.schema = schema;
        this.mapping = mapping;
        this.timeColumn = timeColumn;
    }

    /**
     * Opens the snapshot on a fresh connection, which it owns from then on; its first query fixes the moment every later
     * read sees.
     */
    public static HistoricalRows open(Connection connection, String schema, TableMapping mapping, String timeColumn) throws SQLException {
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            HistoricalRows rows = new HistoricalRows(connection, schema, mapping, timeColumn);
            rows.requireTimeColumn();
            return rows;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void requireTimeColumn() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? AND column_name = ?")) {
            statement.setString(1, schema);
            statement.setString(2, mapping.appointmentTable());
            statement.setString(3, timeColumn);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalArgumentException("table " + schema + "." + mapping.appointmentTable() + " has no column " + timeColumn
                            + " (BOOKHOOK_COLUMN_CREATED_AT names the column that says when a booking was made)");
                }
            }
        }
    }

    /** How many appointment rows the range holds in this snapshot. */
    public long count(Instant since, Instant until) throws SQLException {
        String sql = "SELECT count(*) FROM " + table(mapping.appointmentTable()) + " WHERE " + rangeCondition(until);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindRange(statement, since, until);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** The next at most {@code limit} rows of the range by id, after {@code afterKey} (null: from the first). */
    public List<Row> chunk(Instant since, Instant until, Object afterKey, int limit) throws SQLException {
        String id = quote(mapping.appointmentIdColumn());
        String sql = "SELECT * FROM " + table(mapping.appointmentTable()) + " WHERE " + rangeCondition(until)
                + (afterKey == null ? "" : " AND " + id + " > ?") + " ORDER BY " + id + " LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bindRange(statement, since, until);
            if (afterKey != null) {
                statement.setObject(next++, afterKey);
            }
            statement.setInt(next, limit);
            List<Row> rows = new ArrayList<>(limit);
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                int idIndex = result.findColumn(mapping.appointmentIdColumn());
                int timeIndex = result.findColumn(timeColumn);
                while (result.next()) {
                    OffsetDateTime time = result.getObject(timeIndex, OffsetDateTime.class);
                    rows.add(new Row(result.getObject(idIndex), CapturedRowJson.of(result, meta), time == null ? null : time.toInstant()));
                }
            }
            return rows;
        }
    }

    /** The appointment whose id, as text, is {@code id}, as its row is now; empty when the table has no such row. */
    public Optional<Row> appointment(String id) throws SQLException {
        String idColumn = mapping.appointmentIdColumn();
        String sql = "SELECT * FROM " + table(mapping.appointmentTable()) + " WHERE " + quote(idColumn) + "::text = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return Optional.empty();
                }
                OffsetDateTime time = result.getObject(result.findColumn(timeColumn), OffsetDateTime.class);
                return Optional.of(new Row(result.getObject(result.findColumn(idColumn)), CapturedRowJson.of(result, result.getMetaData()),
                        time == null ? null : time.toInstant()));
            }
        }
    }

    /** The related rows (customer, salon, stylist, service) the given appointments name, read in the same snapshot. */
    public RelatedRows related(List<ObjectNode> appointments) throws SQLException {
        Map<String, Map<String, ObjectNode>> byTable = new HashMap<>();
        for (TableMapping.Relation relation : mapping.relations()) {
            Set<Long> numeric = new LinkedHashSet<>();
            Set<String> text = new LinkedHashSet<>();
            for (ObjectNode appointment : appointments) {
                JsonNode key = appointment.get(relation.foreignKeyColumn());
                if (key == null || key.isNull()) {
                    continue;
                }
                if (key.isIntegralNumber()) {
                    numeric.add(key.asLong());
                } else {
                    text.add(key.asText());
                }
            }
            Map<String, ObjectNode> rows = byTable.computeIfAbsent(relation.table(), t -> new HashMap<>());
            String idColumn = mapping.idColumnOf(relation.table());
            if (!numeric.isEmpty()) {
                load(relation.table(), idColumn, connection.createArrayOf("int8", numeric.toArray()), "", rows);
            }
            if (!text.isEmpty()) {
                // Text keys (uuid, varchar): compared as text, whatever the column's own type.
                load(relation.table(), idColumn, connection.createArrayOf("text", text.toArray()), "::text", rows);
            }
        }
        return (table, id) -> byTable.getOrDefault(table, Map.of()).get(id);
    }

    private void load(String table, String idColumn, Array ids, String cast, Map<String, ObjectNode> into) throws SQLException {
        String sql = "SELECT * FROM " + table(table) + " WHERE " + quote(idColumn) + cast + " = ANY(?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, ids);
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    ObjectNode row = CapturedRowJson.of(result, meta);
                    JsonNode id = row.get(idColumn);
                    if (id != null && !id.isNull()) {
                        into.put(id.asText(), row);
                    }
                }
            }
        }
    }

    private String rangeCondition(Instant until) {
        String time = quote(timeColumn);
        return time + " >= ?" + (until == null ? "" : " AND " + time + " < ?");
    }

    private static int bindRange(PreparedStatement statement, Instant since, Instant until) throws SQLException {
        statement.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        if (until == null) {
            return 2;
        }
        statement.setObject(2, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
        return 3;
    }

    private String table(String name) {
        return quote(schema) + "." + quote(name);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
