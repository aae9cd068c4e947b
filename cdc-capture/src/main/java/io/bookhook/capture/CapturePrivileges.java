package io.bookhook.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What capture's Postgres role must be allowed to do, checked before capture creates anything, so a missing grant is
 * one line naming it and the SQL that gives it, not Debezium's {@code permission denied} after a stack trace:
 * <ul>
 * <li>the REPLICATION attribute: Debezium creates its slot and streams over the replication protocol;</li>
 * <li>USAGE on the schema, and SELECT on every captured table: the snapshot reads them;</li>
 * <li>when the publication does not exist yet: CREATE on the database, and ownership of every table it will list
 * ({@code CREATE PUBLICATION … FOR TABLE} needs both);</li>
 * <li>when it exists but lists other tables: ownership of the publication and of every table it will list
 * (Debezium runs {@code ALTER PUBLICATION … SET TABLE});</li>
 * <li>CREATE on the schema when the heartbeat table does not exist yet; when it does, SELECT, INSERT and UPDATE on
 * it (the heartbeat is an upsert).</li>
 * </ul>
 * Ownership counts as Postgres counts it: the owner itself or any role that inherits the owner's privileges. A
 * superuser passes everything.
 */
final class CapturePrivileges {

    private CapturePrivileges() {
    }

    /** Throws {@link CaptureFailedException} naming every missing privilege in one line; returns when none is missing. */
    static void check(Connection connection, CaptureSettings settings) throws SQLException {
        List<String> missing = missing(connection, settings);
        if (!missing.isEmpty()) {
            throw new CaptureFailedException("capture's Postgres role '" + currentUser(connection) + "' lacks privileges: "
                    + String.join("; ", missing));
        }
    }

    static List<String> missing(Connection connection, CaptureSettings settings) throws SQLException {
        String schema = settings.schema();
        String role = quoteIdent(connection, currentUser(connection));
        List<String> missing = new ArrayList<>();

        if (!canReplicate(connection)) {
            missing.add("the REPLICATION attribute, to create and stream replication slot '" + settings.slotName()
                    + "' (ALTER ROLE " + role + " REPLICATION)");
        }

        String quotedSchema = quoteIdent(connection, schema);
        if (!hasSchemaPrivilege(connection, schema, "USAGE")) {
            missing.add("USAGE on schema " + schema + ", to read the tables in it (GRANT USAGE ON SCHEMA " + quotedSchema + " TO " + role + ")");
        }

        Map<String, Table> captured = new LinkedHashMap<>();
        for (String name : settings.tables()) {
            Table table = table(connection, schema, name);
            if (table != null) { // a missing table is reported by the schema check
                captured.put(name, table);
            }
        }
        Table heartbeat = table(connection, schema, settings.heartbeatTable());

        // The tables Debezium puts in the publication: the captured ones and the heartbeat table (created by this
        // role when missing, so owned by it).
        List<Table> published = new ArrayList<>(captured.values());
        if (heartbeat != null) {
            published.add(heartbeat);
        }
        Publication publication = publication(connection, settings.publicationName());
        boolean publicationWritten = false;
        if (publication == null) {
            publicationWritten = true;
            if (!hasDatabasePrivilege(connection, "CREATE")) {
                String database = currentDatabase(connection);
                missing.add("CREATE on database " + database + ", to create publication '" + settings.publicationName()
                        + "' (GRANT CREATE ON DATABASE " + quoteIdent(connection, database) + " TO " + role + ")");
            }
        } else if (!publication.allTables() && !publication.tables().equals(publishedNames(settings))) {
            publicationWritten = true;
            if (!publication.owned()) {
                missing.add("ownership of publication '" + settings.publicationName() + "' (owned by " + publication.owner()
                        + "), to set the tables it lists (ALTER PUBLICATION " + quoteIdent(connection, settings.publicationName())
                        + " OWNER TO " + role + ")");
            }
        }
        if (publicationWritten) {
            Map<String, List<Table>> notOwnedByOwner = published.stream().filter(t -> !t.owned())
                    .collect(Collectors.groupingBy(Table::owner, LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<Table>> entry : notOwnedByOwner.entrySet()) {
                missing.add("ownership of " + qualifiedNames(entry.getValue()) + " (owned by " + entry.getKey()
                        + "), to list " + (entry.getValue().size() == 1 ? "it" : "them") + " in publication '" + settings.publicationName()
                        + "' (GRANT " + entry.getKey() + " TO " + role + ")");
            }
        }

        List<Table> unreadable = captured.values().stream().filter(t -> !t.selectable()).toList();
        if (!unreadable.isEmpty()) {
            missing.add("SELECT on " + qualifiedNames(unreadable) + ", for the snapshot (GRANT SELECT ON " + quotedNames(unreadable) + " TO " + role + ")");
        }

        if (heartbeat == null) {
            if (!hasSchemaPrivilege(connection, schema, "CREATE")) {
                missing.add("CREATE on schema " + schema + ", to create the heartbeat table " + schema + "." + settings.heartbeatTable()
                        + " (GRANT CREATE ON SCHEMA " + quotedSchema + " TO " + role + ")");
            }
        } else if (!heartbeat.selectable() || !heartbeat.writable()) {
            missing.add("SELECT, INSERT and UPDATE on the heartbeat table " + heartbeat.qualified() + ", to write heartbeats (GRANT SELECT, INSERT, UPDATE ON "
                    + heartbeat.quoted() + " TO " + role + ")");
        }
        return missing;
    }

    /** What Debezium's filtered publication lists: the captured tables and the heartbeat table, as {@code schema.table}. */
    private static Set<String> publishedNames(CaptureSettings settings) {
        Set<String> names = new HashSet<>();
        settings.tables().forEach(t -> names.add(settings.schema() + "." + t));
        names.add(settings.schema() + "." + settings.heartbeatTable());
        return names;
    }

    private static String qualifiedNames(List<Table> tables) {
        return tables.stream().map(Table::qualified).collect(Collectors.joining(", "));
    }

    private static String quotedNames(List<Table> tables) {
        return tables.stream().map(Table::quoted).collect(Collectors.joining(", "));
    }

    /** REPLICATION, superuser, or on Amazon RDS membership in rds_replication or rds_superuser (which stand in for them there). */
    private static boolean canReplicate(Connection connection) throws SQLException {
        return queryBoolean(connection, "SELECT r.rolsuper OR r.rolreplication"
                + " OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname IN ('rds_replication', 'rds_superuser')"
                + " AND pg_has_role(r.oid, g.oid, 'MEMBER'))"
                + " FROM pg_roles r WHERE r.rolname = current_user");
    }

    private static boolean hasSchemaPrivilege(Connection connection, String schema, String privilege) throws SQLException {
        // By oid, so a missing schema is "no privilege" here and "table does not exist" in the schema check.
        return queryBoolean(connection, "SELECT coalesce((SELECT has_schema_privilege(current_user, n.oid, ?) FROM pg_namespace n WHERE n.nspname = ?), false)",
                privilege, schema);
    }

    private static boolean hasDatabasePrivilege(Connection connection, String privilege) throws SQLException {
        return queryBoolean(connection, "SELECT has_database_privilege(current_user, current_database(), ?)", privilege);
    }

    /** A table in {@code schema} (not a view: Postgres publishes only tables), or null when there is none. */
    private static Table table(Connection connection, String schema, String name) throws SQLException {
        String sql = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relowner::regrole::text,"
                + " pg_has_role(current_user, c.relowner, 'USAGE'),"
                + " has_table_privilege(current_user, c.oid, 'SELECT'),"
                + " has_table_privilege(current_user, c.oid, 'INSERT') AND has_table_privilege(current_user, c.oid, 'UPDATE')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Table(schema + "." + name, rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5));
            }
        }
    }

    private static Publication publication(Connection connection, String name) throws SQLException {
        Publication publication;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT p.puballtables, p.pubowner::regrole::text, pg_has_role(current_user, p.pubowner, 'USAGE') FROM pg_publication p WHERE p.pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                publication = new Publication(rs.getBoolean(1), rs.getString(2), rs.getBoolean(3), new HashSet<>());
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    publication.tables().add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return publication;
    }

    private static String currentUser(Connection connection) throws SQLException {
        return queryString(connection, "SELECT current_user");
    }

    private static String currentDatabase(Connection connection) throws SQLException {
        return queryString(connection, "SELECT current_database()");
    }

    /** The identifier as SQL must spell it: quoted only when Postgres needs it to be. */
    private static String quoteIdent(Connection connection, String identifier) throws SQLException {
        return queryString(connection, "SELECT quote_ident(?)", identifier);
    }

    private static boolean queryBoolean(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String queryString(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
        return statement;
    }

    private record Table(String qualified, String quoted, String owner, boolean owned, boolean selectable, boolean writable) {
    }

    private record Publication(boolean allTables, String owner, boolean owned, Set<String> tables) {
    }
}
