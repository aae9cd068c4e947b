package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.WAIT;
import static io.bookhook.sink.SinkTestKit.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 30: a sink whose committed offset (of events, or of operators' requests) retention deleted stops with one
 * line, instead of skipping what it never read.
 */
class OffsetGapIT {

    private final SinkTestKit kit = new SinkTestKit(1);
    private MockReceiver receiver;

    @BeforeEach
    void receiver() {
        receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET), new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void a_committed_offset_deleted_by_retention_stops_the_sink_naming_partition_and_gap_and_nothing_after_it_is_posted() throws Exception {
        for (long id = 1; id <= 3; id++) {
            kit.produce("appointment:" + id + ":created", event(id, EventType.CREATED));
        }
        WebhookSink first = WebhookSink.start(kit.settings(receiver.url()).build());
        kit.awaitSettled(3);
        kit.awaitCommittedOffset(0, 3);
        first.close();
        assertThat(first.stopped()).succeedsWithin(WAIT);

        for (long id = 4; id <= 10; id++) {
            kit.produce("appointment:" + id + ":created", event(id, EventType.CREATED));
        }
        TopicPartition partition = new TopicPartition(kit.topics.appointmentEvents(), 0);
        try (Admin admin = kit.kafka.admin()) { // what retention does: the log now starts at 8
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(8))).all().get();
        }
        int postsBefore = receiver.received().size();

        WebhookSink second = WebhookSink.start(kit.settings(receiver.url()).build());

        assertThat(second.stopped()).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessage("the sink stops rather than skip events it never read: its committed offset 3 of " + partition
                        + " is gone: the log now runs from 8 to 10, so 5 events were deleted before it read them."
                        + " See the README, \"A gap in a topic\"");
        assertThat(receiver.received()).as("not one of the events after the gap").hasSize(postsBefore);
        assertThat(kit.committedOffsets().get(partition).offset()).as("the offset stays where the gap begins").isEqualTo(3);
        second.close();
    }

    @Test
    void a_committed_requests_offset_deleted_by_retention_stops_the_sink_instead_of_skipping_operators_requests() throws Exception {
        IdempotencyKey key = IdempotencyKey.of(7, EventType.CREATED);
        kit.produce(key.toString(), event(7, EventType.CREATED));
        WebhookSink first = WebhookSink.start(kit.settings(receiver.url()).build());
        DeliveryRecord delivered = kit.awaitSettled(1).get(SinkTestKit.deliveryId(7, EventType.CREATED));
        for (int request = 1; request <= 3; request++) {
            kit.produceRequest(resend("resend-" + request, key, delivered));
        }
        kit.awaitCommittedRecords(kit.topics.deliveryRequests(), 3);
        first.close();
        assertThat(first.stopped()).succeedsWithin(WAIT);

        for (int request = 4; request <= 10; request++) {
            kit.produceRequest(resend("resend-" + request, key, delivered));
        }
        TopicPartition partition = new TopicPartition(kit.topics.deliveryRequests(), 0);
        try (Admin admin = kit.kafka.admin()) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(8))).all().get();
        }
        int postsBefore = receiver.received().size();

        WebhookSink second = WebhookSink.start(kit.settings(receiver.url()).build());

        assertThat(second.stopped()).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessage("the sink stops rather than skip operator requests it never read: its committed offset 3 of " + partition
                        + " is gone: the log now runs from 8 to 10, so 5 operator requests were deleted before it read them."
                        + " See the README, \"A gap in a topic\"");
        assertThat(receiver.received()).as("not one of the resends after the gap").hasSize(postsBefore);
        second.close();
    }

    private static DeliveryRequest resend(String id, IdempotencyKey key, DeliveryRecord delivered) {
        return DeliveryRequest.resend(id, "7", null, List.of(new DeliveryRequest.Item(null, null, key.toString(), 0, delivered.payload())),
                Instant.now());
    }
}
