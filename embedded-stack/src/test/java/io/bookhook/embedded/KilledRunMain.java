package io.bookhook.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child JVM for {@link StaleRunCleanerIT}: starts Postgres in a run dir, reports, then waits to be killed. */
public final class KilledRunMain {

    static final String READY = "READY";

    private KilledRunMain() {
    }

    public static void main(String[] args) throws Exception {
        Path runDir = StaleRunCleaner.newRunDir(Path.of(args[0]));
        EmbeddedPostgres postgres = EmbeddedPostgres.start(runDir);
        String postmasterPid = Files.readAllLines(postgres.dataDirectory().resolve("postmaster.pid")).get(0).strip();
        // Printed for the parent test to parse, not logging.
        System.out.println(READY + " " + runDir + " " + postmasterPid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
