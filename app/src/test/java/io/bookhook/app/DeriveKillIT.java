package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.EventHeaders;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 9: derive instances killed with SIGKILL while they process a stream of appointment changes, twice of
 * them while a rebalance is under way. Derive runs as {@code bookhook derive} in child JVMs (two instances of one
 * application id on four change partitions, each with its own state directory, restarted on it after a kill); capture
 * runs in this JVM; a writer plays the booking app (appointments, every second one confirmed) all through the kills.
 * Every expected event is in the events topic, read committed, exactly once.
 *
 * <p>The kills: (1) the sole instance, with changes in hand; (2) a second instance joins, and the first is killed while
 * the joiner is still rebalancing; (3) the first comes back, and the one now holding every partition is killed while
 * the returning one is still rebalancing. After each kill the group's committed position in the change topic is read
 * (no one else can commit for the killed member's partitions before its session expires): records written before the
 * kill lay beyond it, so the killed instance had work in hand that it had not committed.
 */
class DeriveKillIT {

    private static final int PARTITIONS = 4;
    /** Each statement is its own transaction, as the booking app writes; the pause paces it at a few dozen changes a second. */
    private static final Duration WRITE_PAUSE = Duration.ofMillis(15);
    /** A safety net only: the writer is stopped once the last restarted instance has derived some more. */
    private static final int MAX_APPOINTMENTS = 5_000;
    /** Appointments written after the last restarted instance is RUNNING, before the writer stops. */
    private static final int AFTER_LAST_RESTART = 30;
    /** Uncommitted change records seen on the victim's partitions before it is killed while it processes. */
    private static final int MIN_LAG = 4;
    /**
     * The same during a rebalance: lower, because the kill must also land inside the rebalance, which can be short
     * (asking for 4 let one rebalance end first on a loaded machine).
     */
    private static final int MIN_LAG_IN_REBALANCE = 2;
    /** Joiners started, at most, to find a rebalance a kill can land in. */
    private static final int REBALANCE_ATTEMPTS = 3;
    /**
     * A SIGKILLed member leaves no LeaveGroup: the coordinator waits out its session before the rebalance completes. The
     * broker's minimum; it keeps each kill's stall short (the default, 45 s, would make this test take minutes).
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final List<DeriveChild> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EmbeddedStack stack;
    private String name;
    private Map<String, String> environment;
    private Admin admin;
    private String applicationId;
    private String changeTopic;
    private String eventsTopic;
    private Path logs;

    @AfterEach
    void stopEverything() {
        children.forEach(child -> child.process.destroyForcibly());
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                System.err.println("derive kill: closing failed: " + e);
            }
        }
    }

    @Test
    void derive_instances_killed_mid_stream_and_mid_rebalance_derive_every_event_exactly_once() throws Exception {
        long started = System.nanoTime();
        stack = SharedEmbeddedStack.get();
        name = SharedEmbeddedStack.uniqueName("derive_kill");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);
        // No sink runs here: the webhook settings are only there because the pipeline's environment names them.
        environment = TestEnvironments.pipeline(stack, name, "http://127.0.0.1:9/unused", "derive-kill-secret");
        environment.put("BOOKHOOK_TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
        logs = Files.createDirectories(Path.of("target", "derive-kill", name));

        BookhookSettings settings = new BookhookSettings(environment);
        admin = Admin.create(new HashMap<>(settings.env().kafkaClient()));
        toClose.push(admin);
        new TopicProvisioner(admin, new TopicProvisioner.Layout(PARTITIONS, Optional.empty()))
                .ensure(settings.topics(), settings.tableMapping());
        applicationId = settings.derive().applicationId();
        changeTopic = settings.topics().cdcTopic(settings.tableMapping().appointmentTable());
        eventsTopic = settings.topics().appointmentEvents();

        CaptureEngine capture = CaptureEngine.start(settings.capture());
        toClose.push(capture);
        capture.awaitReady(START_TIMEOUT);
        BookingAppWriter writer = new BookingAppWriter(jdbcUrl, stack, MAX_APPOINTMENTS, WRITE_PAUSE);
        writer.relatedRows();

        DeriveChild a = start("a");
        awaitUntil("derive a RUNNING and owning every change partition", START_TIMEOUT, writer,
                () -> a.ready() && owned(a).size() == PARTITIONS);
        double readySeconds = seconds(started);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(writer::appointments);
        toClose.push(writer::stop);
        List<Kill> kills = new ArrayList<>();

        // Kill 1: the sole instance, once it has committed progress and has changes in hand.
        kills.add(killProcessing(a, writer));

        DeriveChild a2 = start("a");
        Map<TopicPartition, Long> afterKill1 = committed();
        awaitUntil("restarted derive a RUNNING, owning every partition, committing past the kill", START_TIMEOUT, writer,
                () -> a2.ready() && owned(a2).size() == PARTITIONS && sum(committed()) > sum(afterKill1));

        // Kill 2: b joins; a is killed while b is still rebalancing (a member of the group, not yet RUNNING).
        RebalanceKill second = killDuringRebalance(a2, "b", writer);
        kills.add(second.kill());
        DeriveChild b = second.joiner();
        Map<TopicPartition, Long> afterKill2 = committed();
        awaitUntil("derive b RUNNING, owning every partition, committing past the kill", START_TIMEOUT, writer,
                () -> b.ready() && owned(b).size() == PARTITIONS && sum(committed()) > sum(afterKill2));

        // Kill 3: a comes back; b, which holds every partition, is killed while a is still rebalancing.
        RebalanceKill third = killDuringRebalance(b, "a", writer);
        kills.add(third.kill());
        DeriveChild a3 = third.joiner();
        long lastKillAt = kills.get(kills.size() - 1).atMillis();
        int expectedAtLastKill = kills.get(kills.size() - 1).expectedSoFar();

        // The end: b comes back too; both own partitions and have committed past the last kill.
        DeriveChild b2 = start("b");
        Map<TopicPartition, Long> afterKill3 = committed();
        awaitUntil("both instances RUNNING, owning partitions, committing past the last kill", START_TIMEOUT, writer,
                () -> a3.ready() && b2.ready() && !owned(a3).isEmpty() && !owned(b2).isEmpty() && sum(committed()) > sum(afterKill3));
        int insertedAtLastRestart = writer.inserted.get();
        awaitUntil(AFTER_LAST_RESTART + " more appointments written", START_TIMEOUT, writer,
                () -> writer.inserted.get() >= insertedAtLastRestart + AFTER_LAST_RESTART);
        writer.stop();
        writing.get(30, TimeUnit.SECONDS);
        long writerEnded = System.nanoTime();

        Set<String> expected = writer.expectedKeys();
        List<ConsumerRecord<String, byte[]>> derived = readCommitted(expected, SETTLE_TIMEOUT);
        double settleSeconds = seconds(writerEnded);
        long aborted = readUncommittedCount() - derived.size();
        Map<String, Long> perKey = derived.stream().collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
        long lost = expected.stream().filter(key -> !perKey.containsKey(key)).count();
        long duplicates = derived.size() - perKey.size();
        Set<String> unexpected = new HashSet<>(perKey.keySet());
        unexpected.removeAll(expected);
        long derivedBeforeLastKill = derived.stream().filter(event -> derivedAt(event) < lastKillAt).count();

        kills.forEach(kill -> System.out.println("derive kill: " + kill));
        System.out.printf(Locale.ROOT, "derive kill: lost=%d, duplicates=%d (bounds 0 and 0); expected %d events (%d appointments), derived %d,"
                        + " %d of them before the last kill; kills=%d (%d during a rebalance); aborted event records left by the kills=%d;"
                        + " first instance ready after %.1f s, settled %.1f s after the writer ended; elapsed %.1f s%n",
                lost, duplicates, expected.size(), writer.inserted.get(), derived.size(), derivedBeforeLastKill, kills.size(),
                kills.stream().filter(Kill::duringRebalance).count(), aborted, readySeconds, settleSeconds, seconds(started));
        perKey.forEach((key, count) -> {
            if (count > 1) {
                System.out.printf("derive kill: %s derived %d times%n", key, count);
            }
        });

        // Every check is reported, so a failing run says both what went wrong and whether the faults were real.
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(lost).as("lost").isZero();
        softly.assertThat(duplicates).as("duplicates").isZero();
        softly.assertThat(unexpected).as("events nobody caused").isEmpty();
        // The faults were real: three SIGKILLs, two of them mid-rebalance, each decided with uncommitted changes in hand.
        // Still uncommitted after the kill is asserted for the processing kill only: a rebalance kill waits for just 2
        // records, and the victim can commit them (every 20 ms) between the last reading and the kill (CI saw 3 → 0).
        softly.assertThat(kills).as("kills").hasSizeGreaterThanOrEqualTo(3);
        softly.assertThat(kills).extracting(Kill::exitCode).as("exit codes (137: SIGKILL)").containsOnly(128 + 9);
        softly.assertThat(kills).filteredOn(Kill::duringRebalance).as("kills while a rebalance was under way").hasSizeGreaterThanOrEqualTo(2);
        softly.assertThat(kills).filteredOn(kill -> kill.lagSeen() <= 0)
                .as("kills decided with no change record beyond the victim's committed position").isEmpty();
        softly.assertThat(kills).filteredOn(kill -> !kill.duringRebalance() && kill.uncommittedAtKill() <= 0)
                .as("processing kills of an instance with no change record beyond its committed position").isEmpty();
        // Mid-stream: events were derived before the last kill, and the writer kept writing after it.
        softly.assertThat(derivedBeforeLastKill).as("events derived before the last kill").isPositive().isLessThan(expected.size());
        softly.assertThat(expectedAtLastKill).as("events the writer had caused at the last kill").isLessThan(expected.size());
        softly.assertAll();
    }

    /** A kill and what was true at that moment. */
    record Kill(String victim, String when, boolean duringRebalance, String groupState, Set<TopicPartition> partitions,
            long lagSeen, long uncommittedAtKill, int exitCode, long atMillis, int expectedSoFar) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "killed %s (%s): group %s, %s, %d partitions, %d change records beyond its committed position"
                            + " just before the kill and %d still after it, exit %d, %d events caused so far", victim, when, groupState,
                    duringRebalance ? "rebalancing" : "not rebalancing", partitions.size(), lagSeen, uncommittedAtKill, exitCode, expectedSoFar);
        }
    }

    /** What the test sees just before a kill: the group, whether the joiner is rebalancing, and the change topic's offsets. */
    private record Snapshot(ConsumerGroupDescription group, boolean joinerRebalancing, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> ends) {
        long lag(Set<TopicPartition> partitions) {
            return partitions.stream().mapToLong(tp -> Math.max(0, ends.get(tp) - committed.getOrDefault(tp, 0L))).sum();
        }
    }

    private interface KillWhen {
        boolean holds(Snapshot snapshot);
    }

    /** The sole instance, once it has committed progress and has at least {@link #MIN_LAG} change records in hand. */
    private Kill killProcessing(DeriveChild victim, BookingAppWriter writer) throws Exception {
        Set<TopicPartition> partitions = owned(victim);
        assertThat(partitions).as(victim.label() + " owns partitions").isNotEmpty();
        return kill(victim, "the sole instance, processing", null, partitions, writer,
                snapshot -> sum(snapshot.committed()) > 0 && snapshot.lag(partitions) >= MIN_LAG, () -> false);
    }

    /** A kill during the rebalance a joiner started, and that joiner. */
    private record RebalanceKill(Kill kill, DeriveChild joiner) {
    }

    /**
     * Starts the joiner and waits until it is a member of the group and the rebalance it started is under way while the
     * victim has at least {@link #MIN_LAG_IN_REBALANCE} change records in hand, then kills the victim. A rebalance can
     * end before the kill finds a moment in it (it lasts until the victim's next heartbeat); then the joiner leaves with
     * a SIGTERM, the victim takes its partitions back, and another joins, up to {@link #REBALANCE_ATTEMPTS} times.
     */
    private RebalanceKill killDuringRebalance(DeriveChild victim, String joinerInstance, BookingAppWriter writer) throws Exception {
        Set<TopicPartition> partitions = owned(victim);
        assertThat(partitions).as(victim.label() + " owns partitions before " + joinerInstance + " joins").isNotEmpty();
        for (int attempt = 1; ; attempt++) {
            DeriveChild joiner = start(joinerInstance);
            AtomicBoolean over = new AtomicBoolean();
            Kill kill = kill(victim, joiner.label() + " joining", joiner, partitions, writer, snapshot -> {
                if (member(snapshot.group(), joiner).isEmpty()) {
                    return false;
                }
                if (!snapshot.joinerRebalancing()) {
                    over.set(true);
                    return true;
                }
                return snapshot.lag(partitions) >= MIN_LAG_IN_REBALANCE;
            }, over::get);
            if (kill != null) {
                return new RebalanceKill(kill, joiner);
            }
            assertThat(attempt).as("rebalances " + joinerInstance + " started that ended before a kill could land in them")
                    .isLessThan(REBALANCE_ATTEMPTS);
            joiner.process().destroy();
            assertThat(joiner.process().waitFor(60, TimeUnit.SECONDS)).as(joiner.label() + " stopped on SIGTERM").isTrue();
            awaitUntil(victim.label() + " owning every partition again", START_TIMEOUT, writer, () -> owned(victim).size() == PARTITIONS);
        }
    }

    /**
     * The joiner's rebalance is under way while the group is not Stable or the joiner's Kafka Streams is not RUNNING
     * (REBALANCING: waiting for its assignment, or restoring the state of tasks it was given). Readiness alone is not
     * enough: with cooperative rebalancing the joiner is RUNNING with no task after the first round, while the group
     * is already preparing the round that moves tasks to it.
     */
    private static boolean rebalancing(ConsumerGroupDescription group, DeriveChild joiner) {
        return member(group, joiner).isPresent() && (group.groupState() != GroupState.STABLE || !joiner.ready());
    }

    /**
     * Takes snapshots until {@code when} holds on one, and kills the victim right after it. The snapshot reads the change
     * topic's end offsets last; after the kill the group's committed offsets are read again: with the victim dead and its
     * session not yet expired no one commits for its partitions, so the records between are work the victim had in hand
     * (read or not) and had not committed. Reading the committed offsets later can only shrink that figure. Returns null,
     * killing nothing, when {@code missed} says the moment has passed.
     */
    private Kill kill(DeriveChild victim, String when, DeriveChild joiner, Set<TopicPartition> partitions, BookingAppWriter writer, KillWhen killWhen,
            BooleanSupplier missed) throws Exception {
        Snapshot[] last = new Snapshot[1];
        awaitUntil("the moment to kill " + victim.label() + " (" + when + ")", START_TIMEOUT, writer, () -> {
            ConsumerGroupDescription group = describeGroup();
            boolean joinerRebalancing = joiner != null && rebalancing(group, joiner);
            Map<TopicPartition, Long> committed = committed();
            last[0] = new Snapshot(group, joinerRebalancing, committed, endOffsets());
            return killWhen.holds(last[0]);
        });
        if (missed.getAsBoolean()) {
            return null; // the moment passed: nothing killed
        }
        long at = System.currentTimeMillis();
        int expectedSoFar = writer.expectedCount();
        victim.process.destroyForcibly();
        assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).as(victim.label() + " died").isTrue();
        Snapshot before = last[0];
        Snapshot after = new Snapshot(before.group(), before.joinerRebalancing(), committed(), before.ends());
        return new Kill(victim.label(), when, before.joinerRebalancing(), before.group() == null ? "none" : before.group().groupState().toString(),
                partitions, before.lag(partitions), after.lag(partitions), victim.process.exitValue(), at, expectedSoFar);
    }

    /** One {@code bookhook derive} child JVM; its output goes to a file under target/derive-kill. */
    private record DeriveChild(String label, Process process, String clientId, int adminPort, Path log, DeriveKillIT test) {
        boolean ready() {
            return test.isReady(this);
        }
    }

    private DeriveChild start(String instance) throws IOException {
        int generation = (int) children.stream().filter(child -> child.label().startsWith(instance + "#")).count() + 1;
        String label = instance + "#" + generation;
        String clientId = name + "-derive-" + instance + "-" + generation;
        int adminPort = freePort();
        Path log = logs.resolve("derive-" + instance + "-" + generation + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "derive");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        // Each instance keeps its own state directory across restarts, as a pod with a volume would.
        builder.environment().put("BOOKHOOK_STATE_DIR", stack.workDir().resolve(name + "-state-" + instance).toString());
        builder.environment().put("BOOKHOOK_ADMIN_PORT", Integer.toString(adminPort));
        builder.environment().put("BOOKHOOK_ADMIN_BIND", "127.0.0.1");
        builder.environment().put("BOOKHOOK_KAFKA_CLIENT_ID", clientId);
        builder.environment().put("BOOKHOOK_KAFKA_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
        builder.environment().put("BOOKHOOK_KAFKA_HEARTBEAT_INTERVAL_MS", Long.toString(SESSION_TIMEOUT.toMillis() / 4));
        DeriveChild child = new DeriveChild(label, builder.start(), clientId, adminPort, log, this);
        children.add(child);
        return child;
    }

    /** {@code /health/ready} answers 200 once Kafka Streams is RUNNING (DeriveCommand's readiness). */
    private boolean isReady(DeriveChild child) {
        if (!child.process().isAlive()) {
            throw new AssertionError("derive " + child.label() + " exited with " + child.process().exitValue() + "; its output: "
                    + tail(child.log()));
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.adminPort() + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ConsumerGroupDescription describeGroup() throws Exception {
        try {
            return admin.describeConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS).get(applicationId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    /** Kafka Streams names its consumer {@code <client.id>-StreamThread-<n>-consumer}. */
    private static Optional<MemberDescription> member(ConsumerGroupDescription group, DeriveChild child) {
        if (group == null) {
            return Optional.empty();
        }
        return group.members().stream().filter(member -> member.clientId().startsWith(child.clientId() + "-")).findFirst();
    }

    /** The change partitions the child's consumer holds in the group's current assignment. */
    private Set<TopicPartition> owned(DeriveChild child) throws Exception {
        return member(describeGroup(), child).map(member -> member.assignment().topicPartitions().stream()
                .filter(tp -> tp.topic().equals(changeTopic)).collect(Collectors.toSet())).orElse(Set.of());
    }

    private Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (tp.topic().equals(changeTopic) && offset != null) {
                committed.put(tp, offset.offset());
            }
        });
        return committed;
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(changeTopic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The events topic as a read_committed consumer sees it: until every expected key arrived, then two seconds more. */
    private List<ConsumerRecord<String, byte[]>> readCommitted(Set<String> expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    records.add(record);
                    seen.add(record.key());
                });
            }
            // A duplicate written after the last expected key must still be counted.
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every data record in the events topic, aborted ones included (read_uncommitted, to the high watermark). */
    private long readUncommittedCount() {
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        Map<String, Object> config = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "isolation.level", isolation,
                "enable.auto.commit", "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(eventsTopic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(eventsTopic, info.partition())).toList();
    }

    private static long derivedAt(ConsumerRecord<String, byte[]> event) {
        Header header = event.headers().lastHeader(EventHeaders.DERIVED_AT);
        return header == null ? Long.MAX_VALUE : EventHeaders.millis(header.value()).orElse(Long.MAX_VALUE);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for the condition; fails early when the writer failed (a child that died shows in its readiness check). */
    private static void awaitUntil(String what, Duration timeout, BookingAppWriter writer, Condition condition) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .failFast("the writer failed while waiting for: " + what, () -> {
                    if (writer.failure != null) {
                        throw new AssertionError(writer.failure);
                    }
                })
                .until(condition::holds);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
