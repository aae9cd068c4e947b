package io.bookhook.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    private static Path runDir;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        runDir = StaleRunCleaner.newRunDir(StaleRunCleaner.defaultBase());
        postgres = EmbeddedPostgres.start(runDir);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
        assertThat(postgres.dataDirectory()).doesNotExist();
        Directories.deleteQuietly(runDir);
    }

    @Test
    void isConfiguredForLogicalReplication() throws SQLException {
        try (Connection c = postgres.dataSource().getConnection()) {
            assertThat(show(c, "wal_level")).isEqualTo("logical");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(Integer.parseInt(show(c, "max_replication_slots"))).isGreaterThanOrEqualTo(10);
            assertThat(Integer.parseInt(show(c, "max_wal_senders"))).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void pgoutputSlotCanBeCreatedThroughJdbcUrl() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE booking (id bigint PRIMARY KEY, note text)");
            s.execute("CREATE PUBLICATION test_pub FOR TABLE booking");
            try (ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_create_logical_replication_slot('t', 'pgoutput')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("t");
            }
            try (ResultSet rs = s.executeQuery("SELECT plugin FROM pg_replication_slots WHERE slot_name = 't'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("pgoutput");
            }
            s.execute("SELECT pg_drop_replication_slot('t')");
        }
    }

    @Test
    void exposesConnectionFacts() {
        assertThat(postgres.host()).isEqualTo("localhost");
        assertThat(postgres.port()).isPositive();
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/postgres");
        assertThat(postgres.user()).isEqualTo("postgres");
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void restartsAfterAFastAndAnImmediateShutdownKeepingCommittedData() throws SQLException {
        postgres.execute(postgres.database(), "CREATE TABLE restart_probe (id int PRIMARY KEY)", "INSERT INTO restart_probe VALUES (1)");
        String firstStart = postgres.queryOne(postgres.database(), "SELECT pg_postmaster_start_time()::text");

        postgres.restart(EmbeddedPostgres.ShutdownMode.FAST);
        String afterFast = postgres.queryOne(postgres.database(), "SELECT pg_postmaster_start_time()::text");
        postgres.execute(postgres.database(), "INSERT INTO restart_probe VALUES (2)");
        postgres.restart(EmbeddedPostgres.ShutdownMode.IMMEDIATE);
        String afterImmediate = postgres.queryOne(postgres.database(), "SELECT pg_postmaster_start_time()::text");

        assertThat(afterFast).as("a new postmaster after the fast restart").isNotEqualTo(firstStart);
        assertThat(afterImmediate).as("a new postmaster after the immediate restart").isNotEqualTo(afterFast);
        assertThat(postgres.queryOne(postgres.database(), "SELECT string_agg(id::text, ',' ORDER BY id) FROM restart_probe"))
                .as("rows committed before each shutdown").isEqualTo("1,2");
        assertThat(postgres.queryOne(postgres.database(), "SHOW wal_level")).as("the server's options survive the restart").isEqualTo("logical");
    }
}
