package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.deliveryId;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.sink.mockreceiver.MockReceiver;
import io.bookhook.sink.mockreceiver.MockReceiverConfig;
import io.bookhook.sink.mockreceiver.ReceivedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 25 (graceful half): two sinks in one group share four partitions; one stops mid-stream, its
 * partitions move to the other, and nothing is lost or posted twice.
 */
class TwoSinksIT {

    private static final int EVENTS = 40;
    private static final int PARTITIONS = 4;

    private final SinkTestKit kit = new SinkTestKit(PARTITIONS);

    @Test
    void one_of_two_sinks_stopped_mid_stream_loses_nothing_and_duplicates_nothing() throws Exception {
        try (MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withStall(Duration.ofMillis(150)),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8))) {
            WebhookSink staying = SinkTestKit.start(kit.settings(receiver.url()).transactionalId(kit.group + "-a").build());
            WebhookSink leaving = SinkTestKit.start(kit.settings(receiver.url()).transactionalId(kit.group + "-b").build());
            try {
                kit.produceEvents(EVENTS, PARTITIONS);
                await().atMost(SinkTestKit.WAIT).until(() -> receiver.deliveredCount() >= EVENTS / 4);
                // Mid-stream: measured when the sink is told to leave; the other keeps delivering while it does.
                int deliveredWhenLeaving = receiver.deliveredCount();
                leaving.close();
                assertThat(leaving.stopped()).succeedsWithin(Duration.ofSeconds(10));
                assertThat(deliveredWhenLeaving).as("delivered when one sink was told to leave").isLessThan(EVENTS);

                Map<String, DeliveryRecord> ledger = kit.awaitSettled(EVENTS);

                List<String> posted = receiver.received().stream().map(r -> r.header("X-Idempotency-Key")).toList();
                Set<String> distinct = Set.copyOf(posted);
                long lost = EVENTS - distinct.size();
                long duplicates = posted.size() - distinct.size();
                System.out.printf("two sinks, one stopped: lost=%d duplicates=%d (bounds 0 and 0)%n", lost, duplicates);
                assertThat(lost).isZero();
                assertThat(duplicates).isZero();
                assertThat(receiver.received()).allMatch(ReceivedRequest::delivered);
                for (int id = 1; id <= EVENTS; id++) {
                    assertThat(ledger.get(deliveryId(id, EventType.CREATED)).status()).isEqualTo(DeliveryStatus.DELIVERED);
                }
                assertThat(leaving.counts().delivered() + staying.counts().delivered()).isEqualTo(EVENTS);
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    kit.awaitCommittedOffset(partition, EVENTS / PARTITIONS);
                }
            } finally {
                leaving.close();
                staying.close();
            }
        }
    }
}
