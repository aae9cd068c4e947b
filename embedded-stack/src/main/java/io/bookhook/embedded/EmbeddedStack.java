package io.bookhook.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postgres (logical replication on) plus a KRaft Kafka broker, each started in a fresh run
 * directory under a base dir whose stale leftovers from killed runs are cleaned first.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Path workDir;
    private final Timed<EmbeddedKafka> kafka;
    private final Timed<EmbeddedPostgres> postgres;

    private EmbeddedStack(Path workDir, Timed<EmbeddedKafka> kafka, Timed<EmbeddedPostgres> postgres) {
        this.workDir = workDir;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** Starts under {@link StaleRunCleaner#defaultBase()}. */
    public static EmbeddedStack start() {
        return start(StaleRunCleaner.defaultBase());
    }

    /** Starts Postgres and Kafka in parallel (they are independent) in a new run dir under {@code base}. */
    public static EmbeddedStack start(Path base) {
        Path runDir = StaleRunCleaner.newRunDir(base);
        FutureTask<Timed<EmbeddedPostgres>> postgresTask =
                new FutureTask<>(() -> Timed.run(() -> EmbeddedPostgres.start(runDir)));
        Thread postgresStarter = new Thread(postgresTask, "embedded-postgres-start");
        postgresStarter.setDaemon(true);
        postgresStarter.start();

        Timed<EmbeddedKafka> kafka;
        try {
            kafka = Timed.run(() -> EmbeddedKafka.start(runDir.resolve("kafka")));
        } catch (RuntimeException e) {
            closeQuietly(() -> awaitPostgres(postgresTask).value().close(), e);
            Directories.deleteQuietly(runDir);
            throw e;
        }
        Timed<EmbeddedPostgres> postgres;
        try {
            postgres = awaitPostgres(postgresTask);
        } catch (RuntimeException e) {
            closeQuietly(kafka.value()::close, e);
            Directories.deleteQuietly(runDir);
            throw e;
        }
        EmbeddedStack stack = new EmbeddedStack(runDir, kafka, postgres);
        LOG.info("Embedded stack up in {}: Kafka {} ms at {}, Postgres {} ms at {}", runDir,
                kafka.took().toMillis(), kafka.value().bootstrapServers(),
                postgres.took().toMillis(), postgres.value().jdbcUrl());
        return stack;
    }

    public EmbeddedKafka kafka() {
        return kafka.value();
    }

    public EmbeddedPostgres postgres() {
        return postgres.value();
    }

    public Path workDir() {
        return workDir;
    }

    public Duration kafkaStartup() {
        return kafka.took();
    }

    public Duration postgresStartup() {
        return postgres.took();
    }

    /** Stops Kafka, then Postgres (each even if the other fails), then deletes the run dir. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            kafka.value().close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            postgres.value().close();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        Directories.deleteQuietly(workDir);
        if (failure != null) {
            throw failure;
        }
    }

    private static Timed<EmbeddedPostgres> awaitPostgres(FutureTask<Timed<EmbeddedPostgres>> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Postgres", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("could not start Postgres", e.getCause());
        }
    }

    private static void closeQuietly(Runnable close, RuntimeException primary) {
        try {
            close.run();
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** A started component and how long its start took. */
    private record Timed<T>(T value, Duration took) {
        static <T> Timed<T> run(Supplier<T> starter) {
            long begin = System.nanoTime();
            T value = starter.get();
            return new Timed<>(value, Duration.ofNanos(System.nanoTime() - begin));
        }
    }
}
