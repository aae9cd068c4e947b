package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink in a JVM of its own, for tests that kill it the hard way ({@code destroyForcibly}, i.e. SIGKILL) and for the
 * benchmark, which measures its start-up and heap apart from the broker's. Arguments are {@code name=value}:
 * {@code bootstrap}, {@code prefix} (topic prefix), {@code group}, {@code instance}, {@code url}, {@code secret},
 * {@code state}, and optionally {@code standard} (a whsec_ secret: then both signatures), {@code requestTimeoutMs},
 * {@code firstBackoffMs}, {@code maxInFlight}, and {@code report=true}: print {@code ready …} once the first delivery
 * is committed, with the heap in use after a full GC. SIGTERM closes the sink gracefully.
 */
public final class SinkProcessMain {

    private SinkProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, String> arg = new HashMap<>();
        for (String pair : args) {
            int eq = pair.indexOf('=');
            arg.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        int maxInFlight = Integer.parseInt(arg.getOrDefault("maxInFlight", "100"));
        SinkSettingsBuilder builder = SinkSettings.builder(URI.create(arg.get("url")), arg.get("secret"), Map.of(
                        "bootstrap.servers", arg.get("bootstrap"),
                        // A killed member holds its partitions until its session expires: keep that short for the test.
                        "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"))
                .allowPrivateTargets(true)
                .topics(TopicNames.prefixed(arg.get("prefix")))
                .groupId(arg.get("group"))
                .instanceId(arg.get("instance"))
                .stateDir(Path.of(arg.get("state")))
                .retryJitter(0.0)
                .maxInFlight(maxInFlight)
                .maxBuffered(Math.max(SinkSettings.DEFAULT_MAX_BUFFERED, 4 * maxInFlight))
                .requestTimeout(Duration.ofMillis(Long.parseLong(arg.getOrDefault("requestTimeoutMs", "15000"))))
                .firstBackoff(Duration.ofMillis(Long.parseLong(arg.getOrDefault("firstBackoffMs", "5000"))));
        if (arg.containsKey("standard")) {
            builder.signatureMode(SignatureMode.BOTH).standardSecrets(List.of(arg.get("standard")));
        }
        WebhookSink sink = WebhookSink.start(builder.build());
        Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "sink-shutdown"));
        if (Boolean.parseBoolean(arg.getOrDefault("report", "false"))) {
            while (sink.counts().delivered() < 1 && !sink.stopped().isDone()) {
                Thread.sleep(5);
            }
            long readyMillis = System.currentTimeMillis() - started;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println("ready after=" + readyMillis + "ms heap-after-gc=" + heap);
            System.out.flush();
        }
        sink.stopped().handle((ok, failure) -> null).join();
    }
}
