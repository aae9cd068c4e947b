package io.bookhook.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.derive.DeriveSettings;
import io.bookhook.derive.DeriveStreams;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.ledger.LedgerReader;
import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.DeliveryIds;
import io.bookhook.sink.Endpoint;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 9 and 25, scale-out (issue 6): one capture, two derive instances (one Kafka Streams application,
 * two state dirs) and two sinks (one consumer group, two transactional ids) on four partitions. A writer inserts
 * appointments and confirms half of them; mid-stream one derive instance and one sink are closed gracefully.
 * Every expected event is derived exactly once, POSTed with nothing lost and nothing twice, and recorded delivered.
 */
class ScaleOutIT {

    private static final int PARTITIONS = 4;
    private static final int APPOINTMENTS = 60;
    private static final Duration WRITE_PAUSE = Duration.ofMillis(40);
    private static final Duration RECEIVER_STALL = Duration.ofMillis(100);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(40);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeEverything() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                System.err.println("scale-out: closing failed: " + e);
            }
        }
    }

    @Test
    void one_of_two_derive_instances_and_one_of_two_sinks_stopped_mid_stream_derive_once_and_lose_nothing() throws Exception {
        long started = System.nanoTime();
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("scale");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);

        MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults("scale-out-secret").withStall(RECEIVER_STALL),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
        toClose.push(receiver);

        BookhookSettings settings = new BookhookSettings(environment(stack, name, receiver));
        Admin admin = Admin.create(new HashMap<>(settings.env().kafkaClient()));
        toClose.push(admin);
        new TopicProvisioner(admin, new TopicProvisioner.Layout(PARTITIONS, Optional.empty()))
                .ensure(settings.topics(), settings.tableMapping());
        String changeTopic = settings.topics().cdcTopic(settings.tableMapping().appointmentTable());
        String eventsTopic = settings.topics().appointmentEvents();

        CaptureEngine capture = CaptureEngine.start(settings.capture());
        toClose.push(capture);
        capture.awaitReady(START_TIMEOUT);

        DeriveSettings deriveA = settings.derive();
        DeriveSettings deriveB = new DeriveSettings(deriveA.applicationId(), deriveA.kafkaClient(), deriveA.topics(),
                deriveA.mapping(), deriveA.relatedRowGrace(), deriveA.commitInterval(), deriveA.stateDir().resolveSibling(name + "-b"),
                deriveA.stateRetention());
        DeriveStreams staying = DeriveStreams.start(deriveA);
        toClose.push(staying);
        DeriveStreams leaving = DeriveStreams.start(deriveB);
        toClose.push(leaving);
        awaitUntil("both derive instances RUNNING", START_TIMEOUT, () -> {
            assertThat(staying.stopped()).as("derive A").isNotDone();
            assertThat(leaving.stopped()).as("derive B").isNotDone();
            return staying.state() == KafkaStreams.State.RUNNING && leaving.state() == KafkaStreams.State.RUNNING;
        });
        // Scale-out, not a hot standby: each instance must own some of the four change partitions.
        awaitUntil("both derive instances own change partitions", START_TIMEOUT,
                () -> membersOwning(admin, deriveA.applicationId(), changeTopic) == 2);

        SinkSettings defaults = settings.sink();
        WebhookSink sinkA = startSink(SinkSettings.builder(defaults.kafkaClient()).endpoints(defaults.endpoints())
                .allowPrivateTargets(true).topics(defaults.topics()).groupId(defaults.groupId()).stateDir(defaults.stateDir())
                .instanceId(name + "-sink-a").build());
        WebhookSink sinkB = startSink(SinkSettings.builder(defaults.kafkaClient()).endpoints(defaults.endpoints())
                .allowPrivateTargets(true).topics(defaults.topics()).groupId(defaults.groupId()).stateDir(defaults.stateDir())
                .instanceId(name + "-sink-b").build());
        awaitUntil("both sinks own event partitions", START_TIMEOUT,
                () -> membersOwning(admin, defaults.groupId(), eventsTopic) == 2);
        double readySeconds = seconds(started);

        // The writer: related rows first (so events are complete), then appointments, every second one confirmed.
        BookingAppWriter writer = new BookingAppWriter(jdbcUrl, stack, APPOINTMENTS, WRITE_PAUSE);
        writer.relatedRows();
        CompletableFuture<Void> writing = CompletableFuture.runAsync(writer::appointments);

        // Mid-stream for derive: each instance has committed progress on a change partition it owns, and the
        // writer is still writing.
        awaitUntil("both derive instances have processed changes", START_TIMEOUT,
                () -> membersWithCommittedProgress(admin, deriveA.applicationId(), changeTopic) == 2 || writing.isDone());
        int insertedWhenDeriveStopped = writer.inserted.get();
        int deliveredWhenDeriveStopped = receiver.deliveredCount();
        long deriveStoppedAt = System.nanoTime();
        leaving.close();
        assertThat(leaving.stopped()).as("derive B stopped cleanly").succeedsWithin(Duration.ofSeconds(5));
        // Not asserted, shown: whether the closed instance left its group or its tasks wait for its session to expire.
        long deriveMembersAfterClose = membersOwning(admin, deriveA.applicationId(), changeTopic);

        // Mid-stream for the sinks: both have committed deliveries, and some of the expected ones are still to come.
        int expectedTotal = APPOINTMENTS + APPOINTMENTS / 2;
        awaitUntil("a quarter delivered, some by each sink", START_TIMEOUT,
                () -> receiver.deliveredCount() >= expectedTotal / 4 && sinkA.counts().delivered() > 0 && sinkB.counts().delivered() > 0);
        int deliveredWhenSinkStopped = receiver.deliveredCount();
        int insertedWhenSinkStopped = writer.inserted.get();
        sinkB.close();
        assertThat(sinkB.stopped()).as("sink B stopped cleanly").succeedsWithin(Duration.ofSeconds(5));

        writing.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Set<String> expected = writer.expectedKeys();
        assertThat(expected).hasSize(expectedTotal);
        System.out.printf("scale-out: ready after %.1f s; derive B stopped at %d/%d inserted (%d delivered), derive members"
                        + " owning partitions right after: %d; sink B stopped at %d/%d delivered (%d/%d inserted)%n", readySeconds,
                insertedWhenDeriveStopped, APPOINTMENTS, deliveredWhenDeriveStopped, deriveMembersAfterClose,
                deliveredWhenSinkStopped, expectedTotal, insertedWhenSinkStopped, APPOINTMENTS);
        // Mid-stream: there was work left for the survivors at each stop.
        assertThat(insertedWhenDeriveStopped).as("appointments inserted when derive B stopped").isLessThan(APPOINTMENTS);
        assertThat(deliveredWhenSinkStopped).as("events delivered when sink B stopped").isLessThan(expectedTotal);

        long writerEnded = System.nanoTime();
        awaitUntil("every expected event delivered", SETTLE_TIMEOUT,
                () -> deliveredKeys(receiver).containsAll(expected));
        double settleSeconds = seconds(writerEnded);
        double afterDeriveStop = seconds(deriveStoppedAt);

        // Derived exactly once, and complete.
        List<ConsumerRecord<String, AppointmentEvent>> derived = TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                eventsTopic, expected.size(), new StringDeserializer(), JsonSerde.of(AppointmentEvent.class).deserializer(),
                Duration.ofSeconds(20));
        Map<String, Long> derivedPerKey = derived.stream().collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
        long derivedLost = expected.stream().filter(key -> !derivedPerKey.containsKey(key)).count();
        long derivedDuplicates = derived.size() - derivedPerKey.size();

        // POSTed at least once, nothing lost; a graceful stop leaves nothing to post again.
        List<ReceivedRequest> posts = receiver.received();
        Map<String, Long> postsPerKey = posts.stream()
                .collect(Collectors.groupingBy(post -> post.header("X-Idempotency-Key"), TreeMap::new, Collectors.counting()));
        long lost = expected.stream().filter(key -> !postsPerKey.containsKey(key)).count();
        long duplicates = posts.size() - postsPerKey.size();

        System.out.printf("scale-out: derived %d events (lost=%d duplicates=%d), posted %d (lost=%d duplicates=%d); "
                        + "sink A delivered %d, sink B %d; all delivered %.1f s after the writer ended, %.1f s after derive B"
                        + " stopped; total %.1f s%n",
                derived.size(), derivedLost, derivedDuplicates, posts.size(), lost, duplicates,
                sinkA.counts().delivered(), sinkB.counts().delivered(), settleSeconds, afterDeriveStop, seconds(started));
        postsPerKey.forEach((key, count) -> {
            if (count > 1) {
                System.out.printf("scale-out: %s posted %d times: %s%n", key, count, posts.stream()
                        .filter(post -> key.equals(post.header("X-Idempotency-Key")))
                        .map(post -> post.at() + " attempt " + post.header("X-Delivery-Attempt")).toList());
            }
        });

        assertThat(derivedPerKey.keySet()).as("keys derived").isEqualTo(expected);
        assertThat(derivedLost).as("derived lost").isZero();
        assertThat(derivedDuplicates).as("derived duplicates").isZero();
        assertThat(derived).extracting(record -> record.value().missing()).as("related rows missing from events")
                .allSatisfy(missing -> assertThat(missing).isEmpty());

        assertThat(postsPerKey.keySet()).as("keys posted").isEqualTo(expected);
        assertThat(posts).as("every POST validly signed and answered 2xx").allMatch(ReceivedRequest::delivered);
        assertThat(lost).as("lost").isZero();
        assertThat(duplicates).as("duplicates").isZero();
        assertThat(sinkB.counts().delivered()).as("delivered by the sink that left").isPositive();
        assertThat(sinkA.counts().delivered()).as("delivered by the sink that stayed").isPositive();

        Map<String, DeliveryRecord> ledger = awaitLedgerDelivered(settings, expected);
        for (String key : expected) {
            DeliveryRecord record = ledger.get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, IdempotencyKey.parse(key)));
            assertThat(record).as("ledger record of " + key).isNotNull();
            assertThat(record.status()).as("ledger status of " + key).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(record.idempotencyKey()).isEqualTo(key);
        }
        assertThat(sinkA.counts().delivered() + sinkB.counts().delivered()).as("deliveries committed by both sinks")
                .isEqualTo(expected.size());
    }

    private Map<String, String> environment(EmbeddedStack stack, String name, MockReceiver receiver) {
        return TestEnvironments.pipeline(stack, name, receiver.url().toString(), "scale-out-secret");
    }

    private WebhookSink startSink(SinkSettings settings) {
        WebhookSink sink = WebhookSink.start(settings);
        toClose.push(sink);
        return sink;
    }

    /** How many members of the group hold at least one partition of the topic. */
    private static long membersOwning(Admin admin, String groupId, String topic) throws Exception {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0; // no member has joined yet
            }
            throw e;
        }
        return group.members().stream()
                .filter(member -> member.assignment().topicPartitions().stream().anyMatch(p -> p.topic().equals(topic)))
                .count();
    }

    /** How many members of the group own a partition of the topic on which the group has committed an offset. */
    private static long membersWithCommittedProgress(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        return group.members().stream()
                .filter(member -> member.assignment().topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(topic))
                        .anyMatch(partition -> committed.get(partition) != null && committed.get(partition).offset() > 0))
                .count();
    }

    private static Set<String> deliveredKeys(MockReceiver receiver) {
        return receiver.received().stream().filter(ReceivedRequest::delivered)
                .map(post -> post.header("X-Idempotency-Key")).collect(Collectors.toSet());
    }

    private static Map<String, DeliveryRecord> awaitLedgerDelivered(BookhookSettings settings, Set<String> keys) throws Exception {
        LedgerReader reader = new LedgerReader(settings.env().kafkaClient(), settings.topics().deliveryLedger());
        Map<String, DeliveryRecord> snapshot = Map.of();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            snapshot = reader.snapshot(Duration.ofSeconds(10));
            Map<String, DeliveryRecord> current = snapshot;
            if (keys.stream().map(key -> current.get(DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, IdempotencyKey.parse(key))))
                    .allMatch(record -> record != null && record.status() == DeliveryStatus.DELIVERED)) {
                return snapshot;
            }
            Thread.sleep(200);
        }
        return snapshot;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
