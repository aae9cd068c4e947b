package io.bookhook.sink;

import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A sink in a JVM of its own, for tests that kill it the hard way ({@code destroyForcibly}, i.e. SIGKILL):
 * {@code <bootstrap> <topic prefix> <group> <receiver url> <make secret> <standard secret>}.
 */
public final class SinkProcessMain {

    private SinkProcessMain() {
    }

    public static void main(String[] args) {
        SinkSettings settings = SinkSettings.builder(URI.create(args[3]), args[4], Map.of("bootstrap.servers", args[0],
                        // A killed member holds its partitions until its session expires: keep that short for the test.
                        "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"))
                .allowPrivateTargets(true)
                .topics(TopicNames.prefixed(args[1]))
                .groupId(args[2])
                .transactionalId(args[2] + "-tx")
                .signatureMode(SignatureMode.BOTH)
                .standardSecrets(List.of(args[5]))
                // Longer than the test needs to kill it: the POST must still be in flight when it dies.
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        new WebhookSink(settings).run();
    }
}
