package io.bookhook.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the reference schema's five tables (as a Django booking app names them) in a database. */
public final class ReferenceSchema {

    private static final String RESOURCE = "reference-schema.sql";

    private ReferenceSchema() {
    }

    public static String sql() {
        try (InputStream in = ReferenceSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void apply(String jdbcUrl, String user, String password) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the reference schema: " + e.getMessage(), e);
        }
    }
}
