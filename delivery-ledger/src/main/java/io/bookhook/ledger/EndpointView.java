package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EndpointControl;
import io.bookhook.schemas.EndpointReport;
import io.bookhook.schemas.TopicNames;
import io.bookhook.schemas.TopicSpec;
import io.bookhook.schemas.TopicTailer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code bookhook.endpoint-control} (operators' pause and resume) and {@code bookhook.endpoint-status} (each
 * sink's report of each endpoint) and adds them up with the ledger's counts: what {@code bookhook endpoints} prints
 * and the admin page's endpoints panel shows.
 */
public final class EndpointView implements AutoCloseable {

    /** A report older than this is from a sink that stopped (sinks report every 5 s). */
    public static final Duration FRESH = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(EndpointView.class);
    private static final List<String> CIRCUIT_WORST_FIRST = List.of("forced_open", "open", "half_open", "closed");

    /** One endpoint as operators see it; {@code circuit} is {@code unknown} when no sink reported it lately. */
    public record Overview(String name, String target, List<String> events, List<String> salons, String circuit, boolean paused,
                           int inFlight, int waiting, boolean spilled, int liveInstances, long delivered, long failed, long pending,
                           String lastError, Instant lastErrorAt) {
    }

    private final TopicNames topics;
    private final String bootstrapServers;
    private final TopicTailer<String, byte[]> endpointTopics;
    private final Map<String, EndpointControl> controls = new ConcurrentHashMap<>();
    private final Map<String, EndpointReport> reports = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean closing;

    private EndpointView(Map<String, String> kafkaClient, TopicNames topics) {
        this.topics = topics;
        this.bootstrapServers = kafkaClient.getOrDefault(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
        // Bytes: two topics of two value types, each read by its own serde, an unreadable record skipped.
        this.endpointTopics = TopicTailer.open(kafkaClient, "bookhook-endpoint-view",
                TopicSpec.ENDPOINT_CONTROL.keys().deserializer(), new ByteArrayDeserializer());
    }

    public static EndpointView start(Map<String, String> kafkaClient, TopicNames topics) {
        EndpointView view = new EndpointView(kafkaClient, topics);
        Thread follower = new Thread(view::follow, "bookhook-endpoint-view");
        follower.setDaemon(true);
        follower.start();
        return view;
    }

    public void awaitCaughtUp(Duration timeout) {
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw OperatorException.unavailable("Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s"
                    + " (reading " + topics.endpointControl() + " and " + topics.endpointStatus() + ")", e);
        } catch (ExecutionException e) {
            throw OperatorException.unavailable("cannot read the endpoint topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted while reading the endpoint topics", e);
        }
    }

    public boolean isPaused(String endpoint) {
        EndpointControl control = controls.get(endpoint);
        return control != null && control.paused();
    }

    /** Every endpoint the ledger, a sink's report or an operator's word names, by name. */
    public List<Overview> overview(LedgerIndex ledger, Instant now) {
        Map<String, Map<DeliveryStatus, Long>> counts = ledger.countsByEndpoint();
        Set<String> names = new TreeSet<>(counts.keySet());
        names.addAll(controls.keySet());
        reports.values().forEach(report -> names.add(report.endpoint()));
        List<Overview> all = new ArrayList<>();
        for (String name : names) {
            List<EndpointReport> mine = reports.values().stream().filter(r -> r.endpoint().equals(name))
                    .sorted(java.util.Comparator.comparing(EndpointReport::reportedAt).reversed()).toList();
            List<EndpointReport> live = mine.stream().filter(r -> r.reportedAt().isAfter(now.minus(FRESH))).toList();
            EndpointReport latest = mine.isEmpty() ? null : mine.get(0);
            String circuit = live.isEmpty() ? "unknown" : CIRCUIT_WORST_FIRST.stream()
                    .filter(state -> live.stream().anyMatch(r -> r.circuit().equals(state))).findFirst().orElse(live.get(0).circuit());
            EndpointReport lastError = mine.stream().filter(r -> r.lastErrorAt() != null)
                    .max(java.util.Comparator.comparing(EndpointReport::lastErrorAt)).orElse(null);
            Map<DeliveryStatus, Long> byStatus = counts.getOrDefault(name, Map.of());
            all.add(new Overview(name, latest == null ? null : latest.target(), latest == null ? List.of() : latest.events(),
                    latest == null ? List.of() : latest.salons(), circuit, isPaused(name),
                    live.stream().mapToInt(EndpointReport::inFlight).sum(), live.stream().mapToInt(EndpointReport::waiting).sum(),
                    live.stream().anyMatch(EndpointReport::spilled), live.size(),
                    byStatus.getOrDefault(DeliveryStatus.DELIVERED, 0L), byStatus.getOrDefault(DeliveryStatus.FAILED, 0L),
                    byStatus.getOrDefault(DeliveryStatus.PENDING, 0L) + byStatus.getOrDefault(DeliveryStatus.RETRYING, 0L),
                    lastError == null ? null : lastError.lastError(), lastError == null ? null : lastError.lastErrorAt()));
        }
        return all;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.endpointControl(), topics.endpointStatus())) {
                partitions.addAll(endpointTopics.partitionsOf(topic, Duration.ofSeconds(10)));
            }
            endpointTopics.fromBeginning(partitions, Duration.ofSeconds(10));
            var controlValues = TopicSpec.ENDPOINT_CONTROL.values().deserializer();
            var reportValues = TopicSpec.ENDPOINT_STATUS.values().deserializer();
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : endpointTopics.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        if (record.topic().equals(topics.endpointControl())) {
                            EndpointControl control = controlValues.deserialize(record.topic(), record.value());
                            controls.put(control.endpoint(), control);
                        } else {
                            EndpointReport report = reportValues.deserialize(record.topic(), record.value());
                            reports.put(report.kafkaKey(), report);
                        }
                    } catch (RuntimeException unreadable) {
                        LOG.warn("ignoring an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                    }
                }
                if (!caughtUp.isDone() && endpointTopics.caughtUp()) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException closed) {
            // close() woke the poll up.
        } catch (RuntimeException e) {
            LOG.error("endpoint view stopped: {}", e.toString(), e);
            caughtUp.completeExceptionally(e);
        } finally {
            endpointTopics.close(Duration.ofSeconds(2));
            caughtUp.completeExceptionally(new IllegalStateException("the endpoint view was closed"));
        }
    }

    @Override
    public void close() {
        closing = true;
        endpointTopics.wakeup();
    }
}
