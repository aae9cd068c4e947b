package io.bookhook.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bookhook <args>} in a JVM of its own, as a host runs it: its settings only from the environment, its home
 * (and so any default state directory) under the test's directory, stdout and stderr together in one log file.
 */
final class BookhookProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private BookhookProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static BookhookProcess start(Map<String, String> environment, Path dir, List<String> jvmOptions, String... args) {
        String name = String.join(" ", args);
        Path log = dir.resolve(args[0] + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + dir.resolve("home")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(dir.resolve("home"));
            return new BookhookProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start bookhook " + name, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits for it to end by itself and returns its exit code. */
    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("bookhook " + name + " did not end within " + within + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** Asks it to stop as a host would (SIGTERM) and returns its exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("bookhook " + name + " did not stop within 90 s of SIGTERM; its output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "bookhook " + name;
    }
}
