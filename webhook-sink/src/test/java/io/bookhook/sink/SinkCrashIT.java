package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 10: the sink killed with SIGKILL between a POST and its ledger write sends at most one extra POST,
 * with the same idempotency key, delivery id and webhook id; an event whose ledger write committed before the
 * kill is not posted again.
 */
class SinkCrashIT {

    private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @StartStop
    public final MockWebServer receiver = new MockWebServer();

    private final SinkTestKit kit = new SinkTestKit(1);

    @Test
    void a_sink_killed_mid_post_causes_at_most_one_extra_post_with_the_same_ids() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).build());                                       // A
        receiver.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.Stall.INSTANCE).build()); // B, never answered
        receiver.enqueue(new MockResponse.Builder().code(200).build());                                       // B again

        Process child = startChildSink();
        RecordedRequest firstOfB;
        try {
            kit.produce("appointment:1:created", event(1, EventType.CREATED));
            assertThat(kit.awaitSettled(1).values()).extracting(r -> r.status()).containsExactly(DeliveryStatus.DELIVERED);
            kit.produce("appointment:2:created", event(2, EventType.CREATED));
            RecordedRequest a = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(a.getHeaders().get("X-Idempotency-Key")).isEqualTo("appointment:1:created");
            firstOfB = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(firstOfB).as("B posted by the child").isNotNull();
        } finally {
            // SIGKILL while B's POST waits for an answer: after the POST, before its ledger write.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(SinkTestKit.settled(kit.ledger())).as("settled before the restart").isEqualTo(1);

        WebhookSink restarted = SinkTestKit.start(kit.settings(receiver.url("/hook").uri())
                .signatureMode(SignatureMode.BOTH).standardSecrets(List.of(STANDARD_SECRET)).build());
        try {
            assertThat(kit.awaitSettled(2).values()).extracting(r -> r.status()).containsOnly(DeliveryStatus.DELIVERED);
            RecordedRequest secondOfB = receiver.takeRequest(5, TimeUnit.SECONDS);
            assertThat(secondOfB.getHeaders().get("X-Idempotency-Key")).isEqualTo("appointment:2:created")
                    .isEqualTo(firstOfB.getHeaders().get("X-Idempotency-Key"));
            assertThat(secondOfB.getHeaders().get("X-Delivery-Id")).isEqualTo(firstOfB.getHeaders().get("X-Delivery-Id"));
            assertThat(secondOfB.getHeaders().get("webhook-id")).isNotNull().isEqualTo(firstOfB.getHeaders().get("webhook-id"));
            assertThat(receiver.takeRequest(1, TimeUnit.SECONDS)).as("any further POST (of A or B)").isNull();
            assertThat(receiver.getRequestCount()).as("POSTs: A once, B twice").isEqualTo(3);
        } finally {
            restarted.close();
        }
    }

    private Process startChildSink() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("sink-crash-child.log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SinkProcessMain.class.getName(),
                kit.kafka.bootstrapServers(), kit.topics.appointmentEvents().replace(".appointment-events", ""), kit.group,
                receiver.url("/hook").toString(), SinkTestKit.SECRET, STANDARD_SECRET)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
