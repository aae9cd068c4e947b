package io.bookhook.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleRunCleanerIT {

    @TempDir
    Path base;

    @Test
    void removesRunOfDeadJvmAndKeepsRunOfLiveJvm() throws Exception {
        Path mine = StaleRunCleaner.newRunDir(base);
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        Path dead = Files.createDirectories(base.resolve("run-" + finished.pid() + "-1"));
        Files.writeString(dead.resolve(StaleRunCleaner.OWNER_FILE), finished.pid() + " -1\n");
        Files.createDirectories(dead.resolve("kafka/logs"));
        Path notARun = Files.createDirectories(base.resolve(EmbeddedPostgres.BINARIES_DIR));

        int removed = StaleRunCleaner.cleanStaleRuns(base);

        assertThat(removed).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(mine).isDirectory();
        assertThat(notARun).isDirectory();
    }

    @Test
    void reusedPidWithOtherStartTimeCountsAsDead() throws Exception {
        long myPid = ProcessHandle.current().pid();
        Path impostor = Files.createDirectories(base.resolve("run-" + myPid + "-1"));
        Files.writeString(impostor.resolve(StaleRunCleaner.OWNER_FILE), myPid + " 1000\n");

        assertThat(StaleRunCleaner.cleanStaleRuns(base)).isEqualTo(1);
        assertThat(impostor).doesNotExist();
    }

    @Test
    void runDirWithoutOwnerFileFallsBackToPidInName() throws Exception {
        Path mineWithoutFile = Files.createDirectories(base.resolve("run-" + ProcessHandle.current().pid() + "-2"));

        assertThat(StaleRunCleaner.cleanStaleRuns(base)).isZero();
        assertThat(mineWithoutFile).isDirectory();
    }

    /** The real failure: a JVM killed with kill -9 leaves its postmaster running. */
    @Test
    void stopsPostmasterOrphanedByKilledJvm() throws Exception {
        Path sharedBase = StaleRunCleaner.defaultBase(); // reuses extracted Postgres binaries
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                KilledRunMain.class.getName(), sharedBase.toString())
                .redirectErrorStream(true)
                .start();
        String[] ready;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            ready = awaitReadyLine(out);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks run
            child.waitFor(10, TimeUnit.SECONDS);
        }
        Path runDir = Path.of(ready[1]);
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(ready[2])).orElseThrow();
        assertThat(postmaster.isAlive()).as("postmaster survives its JVM").isTrue();

        StaleRunCleaner.cleanStaleRuns(sharedBase);

        postmaster.onExit().get(15, TimeUnit.SECONDS);
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(runDir).doesNotExist();
    }

    private static String[] awaitReadyLine(BufferedReader out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith(KilledRunMain.READY)) {
                return line.split(" ");
            }
        }
        throw new AssertionError("child JVM never reported its postmaster");
    }
}
