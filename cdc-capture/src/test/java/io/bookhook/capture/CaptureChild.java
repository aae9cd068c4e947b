package io.bookhook.capture;

import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Capture in a JVM of its own, so a test can kill it with SIGKILL mid-stream, or stop it with SIGTERM. */
public final class CaptureChild {

    static final String STREAMING = "STREAMING";

    private CaptureChild() {
    }

    /** Arguments: host port database user password bootstrapServers slot topicPrefix table... */
    public static void main(String[] args) throws Exception {
        PostgresConnection pg = new PostgresConnection(args[0], Integer.parseInt(args[1]), args[2], args[3], args[4]);
        String slot = args[6];
        CaptureSettings settings = new CaptureSettings(pg, "public", List.of(args).subList(8, args.length), List.of(), "bookhook_heartbeat",
                slot, slot, slot, slot + ".offsets", Map.of("bootstrap.servers", args[5]), TopicNames.prefixed(args[7]),
                Duration.ofMillis(10), Duration.ofSeconds(1));
        CaptureEngine capture = CaptureEngine.start(settings);
        // SIGTERM stops it the way bookhook's stage commands do: the engine flushes its offsets and closes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("SIGTERM: closing capture");
                capture.close();
                System.out.println("capture closed");
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "capture-child-stop"));
        capture.awaitReady(Duration.ofSeconds(60));
        System.out.println(STREAMING);
        System.out.flush();
        capture.stopped().join();
    }
}
