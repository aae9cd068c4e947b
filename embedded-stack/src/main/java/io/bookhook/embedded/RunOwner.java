package io.bookhook.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The JVM that owns a run directory, identified by pid and start time (pids get reused). */
final class RunOwner {

    private RunOwner() {
    }

    static String describe(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) + "\n";
    }

    static boolean isAlive(Path runDir) {
        long[] owner = read(runDir);
        if (owner == null) {
            return false;
        }
        return ProcessHandle.of(owner[0])
                .filter(ProcessHandle::isAlive)
                .map(p -> startedAt(p, owner[1]))
                .orElse(false);
    }

    private static boolean startedAt(ProcessHandle process, long recordedStartMillis) {
        if (recordedStartMillis < 0) {
            return true;
        }
        // Start instants are derived from clock ticks since boot: allow a little rounding.
        return process.info().startInstant()
                .map(start -> Math.abs(start.toEpochMilli() - recordedStartMillis) < 2_000)
                .orElse(true);
    }

    /** {pid, startMillis}, falling back to the pid in the directory name if owner.pid is missing. */
    private static long[] read(Path runDir) {
        try {
            String[] parts = Files.readString(runDir.resolve(StaleRunCleaner.OWNER_FILE)).strip().split("\\s+");
            return new long[] {Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : -1L};
        } catch (IOException | RuntimeException unreadable) {
            String[] nameParts = runDir.getFileName().toString().split("-");
            try {
                return new long[] {Long.parseLong(nameParts[1]), -1L};
            } catch (RuntimeException notARunName) {
                return null;
            }
        }
    }
}
