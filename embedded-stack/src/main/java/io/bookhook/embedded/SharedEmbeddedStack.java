package io.bookhook.embedded;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link EmbeddedStack} per JVM, started on first use and closed by a shutdown hook, so test
 * classes across a module share one broker and one Postgres instead of paying start-up each time.
 * Tests isolate themselves by unique topic (and schema/slot) names: see {@link #uniqueName(String)}.
 * No JUnit dependency on purpose: usable from any test framework.
 */
public final class SharedEmbeddedStack {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static EmbeddedStack stack;
    private static RuntimeException startFailure;

    private SharedEmbeddedStack() {
    }

    /** The shared stack; do not close it (the shutdown hook does). */
    public static synchronized EmbeddedStack get() {
        if (startFailure != null) {
            // Fail every later test fast with the original cause instead of retrying a slow start.
            throw new IllegalStateException("the shared embedded stack failed to start earlier", startFailure);
        }
        if (stack == null) {
            try {
                stack = EmbeddedStack.start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            EmbeddedStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-embedded-stack-shutdown"));
        }
        return stack;
    }

    /**
     * A name unique within this JVM and across JVMs sharing a broker, valid as a Kafka topic,
     * Postgres identifier (lower case, no dash), replication slot and consumer group name.
     */
    public static String uniqueName(String prefix) {
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String safePrefix = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return safePrefix + "_" + COUNTER.incrementAndGet() + "_" + random;
    }
}
