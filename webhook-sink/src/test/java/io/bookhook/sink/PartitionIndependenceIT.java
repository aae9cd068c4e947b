package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.deliveryId;
import static io.bookhook.sink.SinkTestKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * One appointment whose receiver keeps failing waits out its retries on its own partition while the others are
 * delivered; the waits are longer than max.poll.interval.ms, so a sink that blocked its poll loop would be
 * evicted and start the delivery over at attempt 1.
 */
class PartitionIndependenceIT {

    private static final String FAILING_KEY = "appointment:1:created";

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private final SinkTestKit kit = new SinkTestKit(2);
    private final List<String> attemptsOfFailingKey = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger(2);

    @Test
    void a_failing_appointment_waits_on_its_partition_without_stalling_the_other_or_being_evicted() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (FAILING_KEY.equals(request.getHeaders().get("X-Idempotency-Key"))) {
                    attemptsOfFailingKey.add(request.getHeaders().get("X-Delivery-Attempt"));
                    if (failuresLeft.getAndDecrement() > 0) {
                        return new MockResponse.Builder().code(503).build();
                    }
                }
                return new MockResponse.Builder().code(204).build();
            }
        });
        WebhookSink sink = WebhookSink.start(kit.settings(server.url("/hook").uri(), Map.of("max.poll.interval.ms", "2000"))
                .firstBackoff(Duration.ofSeconds(3))
                .maxAttempts(3)
                .build());
        try {
            kit.produce(0, FAILING_KEY, event(1, EventType.CREATED));
            for (int id = 2; id <= 6; id++) {
                kit.produce(1, "appointment:" + id + ":created", event(id, EventType.CREATED));
            }

            Map<String, DeliveryRecord> whileWaiting = kit.awaitSettled(5);
            assertThat(whileWaiting.get(deliveryId(1, EventType.CREATED)).status())
                    .as("the failing appointment while the others were delivered").isEqualTo(DeliveryStatus.RETRYING);

            Map<String, DeliveryRecord> finished = kit.awaitSettled(6);
            assertThat(finished.get(deliveryId(1, EventType.CREATED)).status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(attemptsOfFailingKey).as("attempts never restarted by a rebalance").containsExactly("1", "2", "3");
            kit.awaitCommittedOffset(0, 1);
            kit.awaitCommittedOffset(1, 5);
        } finally {
            sink.close();
        }
    }
}
