package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 27: the receiver refuses connections for a minute while a backlog of 1,000 waits. The endpoint's circuit
 * opens, so the attempts made during the outage are the few that opened it and one probe per interval, not one per
 * waiting delivery; no delivery is marked failed for the outage; and once the receiver is back, everything is
 * delivered within seconds, the retries of the outage included.
 */
class EndpointOutageIT {

    private static final int BACKLOG = 1_000;
    private static final int MAX_IN_FLIGHT = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final CircuitSettings CIRCUIT = new CircuitSettings(20, 50, Duration.ofSeconds(5));

    private final SinkTestKit kit = new SinkTestKit(3);

    @Test
    void a_receiver_down_for_a_minute_gets_only_probes_nothing_fails_and_the_backlog_is_delivered_within_seconds_of_its_return() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
        MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), quiet);
        int port = receiver.port();
        WebhookSink sink = WebhookSink.start(kit.settings(receiver.url()).maxInFlight(MAX_IN_FLIGHT).circuit(CIRCUIT)
                .maxAttempts(15).firstBackoff(Duration.ofSeconds(5)).build());
        MockReceiver back = null;
        try {
            kit.produce("appointment:999999:created", SinkTestKit.event(999_999, io.bookhook.schemas.EventType.CREATED));
            kit.awaitSettled(1);
            receiver.close();
            Instant down = Instant.now();

            kit.produceEvents(BACKLOG, 3);
            long bound = MAX_IN_FLIGHT + OUTAGE.dividedBy(CIRCUIT.probeInterval()) + 2;
            // For the whole outage, the attempts stay bounded by what was in flight plus one probe per interval.
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> refusedAttempts(kit.ledgerHistory()) <= bound);
            back = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withPort(port), quiet);
            Instant up = Instant.now();

            MockReceiver returned = back;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> returned.deliveredCount() >= BACKLOG);
            Duration toDrain = Duration.between(up, Instant.now());
            Map<String, DeliveryRecord> ledger = kit.awaitSettled(BACKLOG + 1);

            List<DeliveryRecord> history = kit.ledgerHistory();
            long refusedAttempts = refusedAttempts(history);
            // Well after the circuit opened: only probes.
            Duration settled = Duration.ofSeconds(10);
            long probes = history.stream().filter(r -> r.status() == DeliveryStatus.RETRYING && "connection refused".equals(r.lastError())
                    && r.updatedAt().isAfter(down.plus(settled))).count();
            Set<String> delivered = returned.received().stream().map(r -> r.header("X-Idempotency-Key")).collect(Collectors.toSet());
            long lost = BACKLOG - delivered.size();
            long duplicates = returned.received().size() - delivered.size();
            assertThat(refusedAttempts).as("the outage was noticed").isPositive();
            System.out.printf("receiver down %d s under a backlog of %d: %d refused attempts (%d in the last 50 s), lost=%d"
                    + " duplicates=%d, all delivered %d ms after it returned%n", OUTAGE.toSeconds(), BACKLOG, refusedAttempts, probes,
                    lost, duplicates, toDrain.toMillis());

            assertThat(lost).isZero();
            assertThat(duplicates).isZero();
            assertThat(ledger.values()).noneMatch(r -> r.status() == DeliveryStatus.FAILED);
            // Those in flight when it went down, then one probe per interval: far fewer than one per waiting delivery.
            assertThat(refusedAttempts).as("attempts during the outage").isLessThanOrEqualTo(bound);
            assertThat(probes).as("attempts once the circuit was open").isLessThanOrEqualTo(
                    OUTAGE.minus(settled).dividedBy(CIRCUIT.probeInterval()) + 2);
            assertThat(toDrain).as("backlog delivered after the receiver returned").isLessThan(Duration.ofSeconds(10));
        } finally {
            sink.close();
            if (back != null) {
                back.close();
            }
        }
    }

    /** Each refused attempt that will be retried leaves a retrying record in the ledger (they are never merged). */
    private static long refusedAttempts(List<DeliveryRecord> history) {
        return history.stream().filter(r -> r.status() == DeliveryStatus.RETRYING && "connection refused".equals(r.lastError())).count();
    }
}
