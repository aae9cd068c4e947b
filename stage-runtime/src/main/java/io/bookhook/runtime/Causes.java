package io.bookhook.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the chain of causes of an error: the root's message is what an operator's one line quotes (the wrappers above it
 * only say where it surfaced), and a cause of a given type decides how a stage reacts. A chain that loops back on itself
 * ends where it would repeat.
 */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause of {@code error}, or {@code error} itself when it has none. */
    public static Throwable root(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable root = error;
        while (seen.add(root) && root.getCause() != null && !seen.contains(root.getCause())) {
            root = root.getCause();
        }
        return root;
    }

    /** The root cause's message, or its class's simple name when it has none. */
    public static String rootMessage(Throwable error) {
        Throwable root = root(error);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The first line of {@link #rootMessage}: stack traces and driver details below it stay in the log. */
    public static String rootFirstLine(Throwable error) {
        return firstLine(rootMessage(error));
    }

    /** The first of {@code error} and its causes, or of what they suppressed, that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = error; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return Optional.of(type.cast(suppressed));
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
