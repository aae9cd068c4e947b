package io.bookhook.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Prints the demo's steps, one line each, with how long each took. */
final class Progress {

    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    interface Step<T> {
        T run() throws Exception;
    }

    <T> T step(String what, Step<T> step) throws Exception {
        long start = System.nanoTime();
        T result = step.run();
        done(what, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    void done(String what, Duration took) {
        out.printf(Locale.ROOT, "  ✔ %-58s %6.2f s%n", what, took.toNanos() / 1e9);
    }

    void say(String line) {
        out.println(line);
    }
}
