package io.bookhook.embedded;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code pg_ctl restart} of the embedded server, run the way zonky runs pg_ctl. */
final class PgCtl {

    private PgCtl() {
    }

    /**
     * Stops the server of {@code dataDirectory} in {@code mode} ({@code fast} or {@code immediate}) and starts it again
     * with the options it was started with; returns when it accepts connections. {@code log} takes the new
     * postmaster's output.
     */
    static void restart(Path dataDirectory, Path log, String mode) {
        // pg_ctl restart reuses the options the postmaster was started with (postmaster.opts); run it the way
        // zonky ran pg_ctl, under a user namespace when that is how the server runs as root.
        String postgresBinary = postmasterCommand(dataDirectory).get(0);
        Path pgCtl = Path.of(postgresBinary).resolveSibling("pg_ctl");
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-m", mode,
            "-t", "60", "-w", "restart"));
    try {
        // The new postmaster inherits pg_ctl's output: a file, since a pipe nobody reads would block its logging.
        Process pgCtlRun = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean exited = pgCtlRun.waitFor(90, TimeUnit.SECONDS);
        if (!exited || pgCtlRun.exitValue() != 0) {
            pgCtlRun.destroyForcibly();
            throw new IllegalStateException("pg_ctl restart -m " + mode + " failed (exit " + (exited ? pgCtlRun.exitValue() : "none, timed out") + ")");
        }
    } catch (IOException e) {
        throw new UncheckedIOException("could not run " + pgCtl, e);
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while restarting Postgres", e);
    }
    }

    /** The command line the running postmaster was started with, from {@code postmaster.opts}, split into words. */
    private static List<String> postmasterCommand(Path dataDirectory) {
        try {
            String opts = Files.readString(dataDirectory.resolve("postmaster.opts")).trim();
            List<String> words = new ArrayList<>();
            Matcher word = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(opts);
            while (word.find()) {
                words.add(word.group(1) != null ? word.group(1) : word.group(2));
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read postmaster.opts in " + dataDirectory, e);
        }
    }
}
