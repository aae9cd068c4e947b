package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.RecordLimits;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY item 29 for the sink: the largest event derive writes under a record limit must fit the sink's own
 * records under that limit. While it waits for a retry its delivery-index entry carries the body in base64, and its
 * ledger records carry the payload with the receiver's response excerpt; a record over the limit would abort the
 * sink's transaction on every restart. Here the limit is 64 KiB and the event is as large as derive lets through.
 */
class LargestEventIT {

    private static final int RECORD_LIMIT = RecordLimits.MIN_MAX_RECORD_BYTES;

    @StartStop
    public final MockWebServer receiver = new MockWebServer();

    private final SinkTestKit kit = new SinkTestKit(1);

    @Test
    void an_event_at_derives_event_limit_is_retried_and_delivered_with_every_sink_record_under_the_record_limit() throws Exception {
        byte[] event = eventOfSize(RecordLimits.eventLimit(RECORD_LIMIT) - 200);
        // A 503 with a long body: the delivery waits with its body in the index and a full response excerpt in the ledger.
        receiver.enqueue(new MockResponse.Builder().code(503).body("\u0001".repeat(8192)).build());
        receiver.enqueue(new MockResponse.Builder().code(200).build());

        WebhookSink sink = WebhookSink.start(kit.settings(receiver.url("/hook").uri(), Map.of("max.request.size", Integer.toString(RECORD_LIMIT)))
                .build());
        try {
            kit.produce("appointment:1:created", event);
            Map<String, DeliveryRecord> ledger = kit.awaitSettled(1);

            assertThat(ledger.values()).singleElement().satisfies(record -> {
                assertThat(record.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(record.attempts()).isEqualTo(2);
            });
            RecordedRequest first = receiver.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest second = receiver.takeRequest(5, TimeUnit.SECONDS);
            assertThat(second.getBody().size()).as("the retry posts the same body, kept in the index").isEqualTo(first.getBody().size())
                    .isGreaterThan(event.length - 1000);
            assertThat(sink.stopped()).as("no record of the sink was over the limit").isNotDone();
        } finally {
            sink.close();
        }
    }

    /** An event of about {@code size} serialized bytes: an ordinary one with a long note. */
    private static byte[] eventOfSize(long size) throws Exception {
        byte[] plain = SinkTestKit.event(1, EventType.CREATED);
        ObjectNode event = (ObjectNode) Json.mapper().readTree(plain);
        ((ObjectNode) event.get("appointment")).put("notes", "n".repeat((int) (size - plain.length - 20)));
        byte[] large = Json.mapper().writeValueAsBytes(event);
        assertThat((long) large.length).as("event size").isBetween(size - 100, size);
        return large;
    }
}
