package io.bookhook.sink;

import static io.bookhook.sink.SinkTestKit.SECRET;
import static io.bookhook.sink.SinkTestKit.deliveryId;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 25: two sinks in one group share four partitions; one stops mid-stream (gracefully, or killed with
 * SIGKILL), its partitions move to the other, and nothing is lost. A graceful stop posts nothing twice; a kill posts at
 * most the deliveries it had not committed once more, under the same ids, and its partitions resume once its session
 * times out.
 */
class TwoSinksIT {

    private static final int EVENTS = 80;
    private static final Duration PACE = Duration.ofMillis(75);
    private static final int PARTITIONS = 4;

    private final SinkTestKit kit = new SinkTestKit(PARTITIONS);

    @Test
    void one_of_two_sinks_stopped_mid_stream_loses_nothing_and_duplicates_nothing() throws Exception {
        try (MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withStall(Duration.ofMillis(150)),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8))) {
            WebhookSink staying = WebhookSink.start(kit.settings(receiver.url()).instanceId(kit.group + "-a").build());
            WebhookSink leaving = WebhookSink.start(kit.settings(receiver.url()).instanceId(kit.group + "-b").build());
            try {
                var producing = kit.produceEventsPaced(EVENTS, PARTITIONS, PACE);
                await().atMost(SinkTestKit.WAIT).until(() -> receiver.deliveredCount() >= EVENTS / 4);
                // Mid-stream: measured when the sink is told to leave; the other keeps delivering while it does.
                int deliveredWhenLeaving = receiver.deliveredCount();
                leaving.close();
                assertThat(leaving.stopped()).succeedsWithin(Duration.ofSeconds(10));
                assertThat(deliveredWhenLeaving).as("delivered when one sink was told to leave").isLessThan(EVENTS);

                assertThat(producing).succeedsWithin(SinkTestKit.WAIT);
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

    @Test
    void one_of_two_sinks_killed_mid_stream_loses_nothing_and_its_partitions_resume_after_its_session_timeout() throws Exception {
        Duration sessionTimeout = Duration.ofSeconds(6);
        try (MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withStall(Duration.ofMillis(150)),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8))) {
            Process killed = kit.startChildSink("two-sinks", "url=" + receiver.url());
            WebhookSink staying = WebhookSink.start(kit.settings(receiver.url()).instanceId(kit.group + "-b").build());
            try {
                await().atMost(SinkTestKit.WAIT).until(() -> membersOwningPartitions() == 2);
                var producing = kit.produceEventsPaced(EVENTS, PARTITIONS, PACE);
                await().atMost(SinkTestKit.WAIT).until(() -> receiver.deliveredCount() >= EVENTS / 4);
                killed.destroyForcibly();
                assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long killedAt = System.nanoTime();
                int deliveredAtKill = receiver.deliveredCount();
                assertThat(deliveredAtKill).as("delivered when one sink was killed").isLessThan(EVENTS);

                assertThat(producing).succeedsWithin(SinkTestKit.WAIT);
                Map<String, DeliveryRecord> ledger = kit.awaitSettled(EVENTS);
                Duration allDelivered = Duration.ofNanos(System.nanoTime() - killedAt);

                List<ReceivedRequest> posts = receiver.received();
                Set<String> distinct = posts.stream().map(r -> r.header("X-Idempotency-Key")).collect(java.util.stream.Collectors.toSet());
                long lost = EVENTS - distinct.size();
                long duplicates = posts.size() - distinct.size();
                System.out.printf("two sinks, one killed: lost=%d duplicates=%d (bounds 0 and what the killed one had not committed),"
                        + " all delivered %d ms after the kill (session timeout %d ms)%n", lost, duplicates, allDelivered.toMillis(),
                        sessionTimeout.toMillis());
                assertThat(lost).isZero();
                assertThat(posts.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.header("X-Idempotency-Key"),
                        java.util.stream.Collectors.toList())).values()).allSatisfy(same -> {
                            assertThat(same).as("posts of one event").hasSizeLessThanOrEqualTo(2);
                            assertThat(same).extracting(r -> r.header("X-Delivery-Id")).containsOnly(same.get(0).header("X-Delivery-Id"));
                        });
                for (int id = 1; id <= EVENTS; id++) {
                    assertThat(ledger.get(deliveryId(id, EventType.CREATED)).status()).isEqualTo(DeliveryStatus.DELIVERED);
                }
                // The killed member's partitions wait for its session to time out, then the other works them off.
                assertThat(allDelivered).isLessThan(sessionTimeout.plusSeconds(20));
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    kit.awaitCommittedOffset(partition, EVENTS / PARTITIONS);
                }
            } finally {
                killed.destroyForcibly();
                staying.close();
            }
        }
    }

    private int membersOwningPartitions() throws Exception {
        try (var admin = kit.kafka.admin()) {
            return (int) admin.describeConsumerGroups(List.of(kit.group)).all().get().get(kit.group).members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
        }
    }
}
