package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.deliveryId;
import static io.bookhook.sink.SinkTestKit.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 19: the sink group's offsets reset to earliest (what {@code bookhook replay} does) re-post nothing
 * the ledger has delivered; a failed event is attempted again.
 */
class ReplayIT {

    private final SinkTestKit kit = new SinkTestKit(1);

    @Test
    void a_replay_from_earliest_skips_what_was_delivered_and_retries_what_failed() throws Exception {
        try (MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8))) {
            WebhookSink first = WebhookSink.start(kit.settings(receiver.url()).build());
            for (int id = 1; id <= 3; id++) {
                kit.produce("appointment:" + id + ":created", event(id, EventType.CREATED));
            }
            kit.awaitSettled(3);
            receiver.failNext(1, 422);
            kit.produce("appointment:4:created", event(4, EventType.CREATED));
            assertThat(kit.awaitSettled(4).get(deliveryId(4, EventType.CREATED)).status()).isEqualTo(DeliveryStatus.FAILED);
            first.close();
            assertThat(first.stopped()).succeedsWithin(Duration.ofSeconds(10));

            try (Admin admin = kit.kafka.admin()) {
                admin.alterConsumerGroupOffsets(kit.group,
                        Map.of(new TopicPartition(kit.topics.appointmentEvents(), 0), new OffsetAndMetadata(0))).all().get();
            }
            WebhookSink replay = WebhookSink.start(kit.settings(receiver.url()).build());
            try {
                Map<String, DeliveryRecord> ledger = kit.awaitSettled(7);
                kit.awaitCommittedOffset(0, 4);

                Map<String, Long> postsPerKey = receiver.received().stream()
                        .collect(Collectors.groupingBy(r -> r.header("X-Idempotency-Key"), Collectors.counting()));
                assertThat(postsPerKey).containsExactlyInAnyOrderEntriesOf(Map.of("appointment:1:created", 1L,
                        "appointment:2:created", 1L, "appointment:3:created", 1L, "appointment:4:created", 2L));
                assertThat(ledger.values()).filteredOn(r -> r.status() == DeliveryStatus.SKIPPED)
                        .extracting(DeliveryRecord::idempotencyKey)
                        .containsExactlyInAnyOrder("appointment:1:created", "appointment:2:created", "appointment:3:created");
                for (int id = 1; id <= 4; id++) {
                    assertThat(ledger.get(deliveryId(id, EventType.CREATED)).status()).as("appointment " + id)
                            .isEqualTo(DeliveryStatus.DELIVERED);
                }
                assertThat(replay.counts().skipped()).isEqualTo(3);
                assertThat(replay.counts().delivered()).isEqualTo(1);
                assertThat(receiver.received()).filteredOn(ReceivedRequest::delivered).hasSize(4);
            } finally {
                replay.close();
            }
        }
    }
}
