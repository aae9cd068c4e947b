package io.bookhook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every run its own directory {@code <base>/run-<pid>-<millis>} holding an {@code owner.pid}
 * file, and removes the leftovers of runs whose JVM is gone (killed with {@code kill -9}, say):
 * their orphaned postmaster is stopped and their directory deleted.
 */
public final class StaleRunCleaner {

    static final String RUN_PREFIX = "run-";
    static final String OWNER_FILE = "owner.pid";
    private static final Logger LOG = LoggerFactory.getLogger(StaleRunCleaner.class);

    private StaleRunCleaner() {
    }

    /** {@code ${java.io.tmpdir}/bookhook-embedded}. */
    public static Path defaultBase() {
        return Path.of(System.getProperty("java.io.tmpdir"), "bookhook-embedded");
    }

    /** Cleans stale runs under {@code base}, then creates and claims a fresh run directory for this JVM. */
    public static Path newRunDir(Path base) {
        cleanStaleRuns(base);
        ProcessHandle self = ProcessHandle.current();
        Path runDir = base.resolve(RUN_PREFIX + self.pid() + "-" + System.currentTimeMillis());
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(OWNER_FILE), RunOwner.describe(self));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + runDir, e);
        }
        return runDir;
    }

    /** @return how many stale run directories were removed */
    public static int cleanStaleRuns(Path base) {
        if (!Files.isDirectory(base)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(base, RUN_PREFIX + "*")) {
            for (Path run : runs) {
                if (Files.isDirectory(run) && !RunOwner.isAlive(run)) {
                    stopOrphanedPostmaster(run.resolve(EmbeddedPostgres.DATA_DIR).resolve("postmaster.pid"));
                    if (Directories.deleteQuietly(run)) {
                        LOG.info("Removed stale run directory {}", run);
                        removed++;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list {} for stale runs: {}", base, e.toString());
        }
        return removed;
    }

    private static void stopOrphanedPostmaster(Path postmasterPidFile) {
        Optional<ProcessHandle> postmaster = readFirstLinePid(postmasterPidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(StaleRunCleaner::looksLikePostgres);
        postmaster.ifPresent(process -> {
            LOG.info("Stopping orphaned postmaster {} of {}", process.pid(), postmasterPidFile.getParent());
            // SIGTERM first: a clean shutdown also releases shared memory; SIGKILL only if it hangs.
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killWithChildren(process);
            } catch (ExecutionException | TimeoutException e) {
                killWithChildren(process);
            }
        });
    }

    private static void killWithChildren(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The pid may have been reused since the crash: never kill something that is clearly not postgres. */
    private static boolean looksLikePostgres(ProcessHandle process) {
        Optional<String> command = process.info().command().or(() -> process.info().commandLine());
        return command.map(c -> c.contains("postgres")).orElse(true);
    }

    private static Optional<Long> readFirstLinePid(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String firstLine = Files.readAllLines(file).stream().findFirst().orElse("").strip();
            return Optional.of(Long.parseLong(firstLine));
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Unreadable {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
