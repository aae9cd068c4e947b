package io.bookhook.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories ledger views keep their stores in: one per view, {@code bookhook-ledger-view-*} under a parent, with
 * an owner file naming the process, so that the directories of views killed before they could close can be told
 * apart and deleted.
 */
final class LedgerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDirectory.class);
    private static final Duration LEFTOVER_AGE = Duration.ofDays(1);
    private static final String OWNER_FILE = "owner";

    private LedgerDirectory() {
    }

    /**
     * A new directory under {@code parent} (created when missing), readable by this user only, owned by this process;
     * directories that views of processes no longer running left there are deleted first.
     */
    static Path create(Path parent) {
        Path directory;
        try {
            Files.createDirectories(parent);
            deleteLeftovers(parent);
            directory = Files.createTempDirectory(parent, LedgerIndex.DIRECTORY_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the ledger view under " + parent + ": " + e.getMessage(), e);
        }
        boolean written = false;
        try {
            Files.writeString(directory.resolve(OWNER_FILE), ownerLine(ProcessHandle.current()));
            written = true;
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the ledger view's directory " + directory + ": " + e.getMessage(), e);
        } finally {
            if (!written) {
                delete(directory);
            }
        }
    }

    private static String ownerLine(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("-");
    }

    /**
     * Deletes the directories of views whose process is gone (it was killed before it could close): the process named
     * in the directory's owner file no longer runs (the same pid started at another time is another process), or, without
     * a readable owner file, the directory is older than a day.
     */
    static void deleteLeftovers(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(child -> child.getFileName().toString().startsWith(LedgerIndex.DIRECTORY_PREFIX) && Files.isDirectory(child))
                    .filter(LedgerDirectory::abandoned)
                    .forEach(child -> {
                        LOG.info("deleting {}, left by a ledger view that did not close", child);
                        delete(child);
                    });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot look for leftover ledger views in {}: {}", parent, e.toString());
        }
    }

    private static boolean abandoned(Path directory) {
        try {
            String[] owner = Files.readString(directory.resolve(OWNER_FILE)).strip().split(" ");
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
            return process.isEmpty() || (owner.length > 1 && !owner[1].equals("-") && !ownerLine(process.get()).equals(owner[0] + " " + owner[1]));
        } catch (IOException | RuntimeException unreadable) {
            try {
                return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(LEFTOVER_AGE));
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Deletes {@code directory} and everything in it; a failure is logged, not thrown. */
    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete the ledger view's directory {}: {}", directory, e.toString());
        }
    }
}
