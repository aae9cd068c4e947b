package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.WAIT;
import static io.bookhook.sink.SinkTestKit.deliveryId;
import static io.bookhook.sink.SinkTestKit.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BOOKHOOK_LEDGER_PAYLOAD_RETENTION on the real broker: a final ledger record loses its payload (customer data) once
 * kept that long, and nothing else; a delivery still retrying keeps it; a sink that never saw the delivery (its local
 * index rebuilt from the index topic) still removes it.
 */
class PayloadRetentionIT {

    private static final Optional<Duration> TWO_SECONDS = Optional.of(Duration.ofSeconds(2));

    private final SinkTestKit kit = new SinkTestKit(1);
    private MockReceiver receiver;
    private WebhookSink sink;

    @BeforeEach
    void setUp() {
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    }

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        receiver.close();
    }

    @Test
    void final_records_lose_their_payload_after_the_retention_and_keep_everything_else_while_a_retrying_one_keeps_it() {
        sink = WebhookSink.start(kit.settings(receiver.url()).payloadRetention(TWO_SECONDS).maxAttempts(5)
                .firstBackoff(Duration.ofMinutes(10)).build());
        receiver.failNext(1, 400);
        kit.produce("appointment:7:created", event(7, EventType.CREATED));
        kit.awaitSettled(1);
        kit.produce("appointment:8:created", event(8, EventType.CREATED));
        kit.awaitSettled(2);
        kit.produce("appointment:8:created", event(8, EventType.CREATED));
        kit.awaitSettled(3);
        receiver.failNext(1, 503);
        kit.produce("appointment:9:created", event(9, EventType.CREATED));
        await().atMost(WAIT).until(() -> status(kit.ledger().get(deliveryId(9, EventType.CREATED))) == DeliveryStatus.RETRYING);

        String failed = deliveryId(7, EventType.CREATED);
        String delivered = deliveryId(8, EventType.CREATED);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> !kit.ledger().get(failed).hasPayload() && !kit.ledger().get(delivered).hasPayload());

        Map<String, DeliveryRecord> latest = kit.ledger();
        for (String id : List.of(failed, delivered)) {
            DeliveryRecord asFinished = firstFinalRecord(id);
            assertThat(asFinished.hasPayload()).as("%s finished with its payload", id).isTrue();
            assertThat(latest.get(id)).as("%s: its final record without the payload", id).isEqualTo(asFinished.withoutPayload());
        }
        assertThat(latest.get(failed).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(latest.get(delivered).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(latest.values()).filteredOn(r -> r.status() == DeliveryStatus.SKIPPED).singleElement()
                .satisfies(skip -> assertThat(skip.hasPayload()).as("a skip never carries the payload").isFalse());
        DeliveryRecord retrying = latest.get(deliveryId(9, EventType.CREATED));
        assertThat(retrying.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(retrying.hasPayload()).as("a delivery still retrying keeps the payload it will post").isTrue();
    }

    @Test
    void a_sink_that_rebuilds_its_index_from_the_topic_removes_payloads_another_sink_kept() {
        sink = WebhookSink.start(kit.settings(receiver.url()).payloadRetention(Optional.empty()).build());
        kit.produce("appointment:21:created", event(21, EventType.CREATED));
        kit.awaitSettled(1);
        String id = deliveryId(21, EventType.CREATED);
        assertThat(kit.ledger().get(id).hasPayload()).as("kept for ever by the first sink").isTrue();
        sink.close();
        assertThat(sink.stopped()).succeedsWithin(WAIT);

        // Another instance id: a local index of its own, restored from the index topic.
        sink = WebhookSink.start(kit.settings(receiver.url()).instanceId(kit.group + "-b").payloadRetention(TWO_SECONDS).build());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> !kit.ledger().get(id).hasPayload());
        assertThat(kit.ledger().get(id)).isEqualTo(firstFinalRecord(id).withoutPayload());
        assertThat(receiver.received()).as("posted once, by the first sink").hasSize(1);
    }

    private DeliveryRecord firstFinalRecord(String deliveryId) {
        return kit.ledgerHistory().stream().filter(r -> r.deliveryId().equals(deliveryId) && r.status() != DeliveryStatus.PENDING
                && r.status() != DeliveryStatus.RETRYING).findFirst().orElseThrow();
    }

    private static DeliveryStatus status(DeliveryRecord record) {
        return record == null ? null : record.status();
    }
}
