package io.bookhook.sink;

import io.bookhook.runtime.Readiness;
import io.bookhook.runtime.Stage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink: one consumer thread (its loop) reads events and operator requests, feeds them to the
 * {@link DeliveryEngine}, hands the attempts it asks for to the {@link AttemptRunner} (many in flight, no thread per
 * waiting delivery), feeds the results back, and every commit interval writes what the engine decided (ledger
 * records, delivery index entries, dead letters) together with the consumer offsets in one Kafka transaction. It
 * pauses its partitions while the deliveries it holds in memory are at their bound.
 *
 * <p>{@link #start} runs that loop on a thread of its own ({@value #THREAD_NAME}, not a daemon: like capture's and derive's
 * threads, it ends when the sink is closed, not when the JVM does). {@link #close()} from any other thread stops it
 * gracefully: attempts in flight finish and are recorded, waiting deliveries stay waiting in the delivery index for the
 * next run, and the instance leaves its group so another one takes its partitions at once. Ready once its group has
 * given it its share of the partitions (none, when more sinks run than there are partitions).
 */
public final class WebhookSink implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
    /** How often the sink reports each endpoint's health to bookhook.endpoint-status. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(5);
    static final String THREAD_NAME = "bookhook-sink";

    private final SinkSettings settings;
    private final Clock clock;
    private final SinkClients clients;
    private final List<Endpoint> endpoints;
    private final SinkMetrics metrics = new SinkMetrics();
    private final AttemptRunner runner;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final DeliveryCounts counts = new DeliveryCounts();
    private final Object lifecycle = new Object();
    private final Readiness readiness = Readiness.of(this::isRunning, "the sink to join its consumer group");
    private volatile boolean closing;
    /** Set at the first assignment its group gave it, empty or not: from then on it works whatever it is given. */
    private volatile boolean joined;
    /** Event partitions this sink works now, for those who wait until it takes part (the demo, the bench). */
    private volatile int partitionsOwned;
    /** Set when the loop died of an error: then nothing more is committed, and the next owner reads open records again. */
    private boolean abandoned;

    private DeliveryIndex index;
    private IndexRestorer restorer;
    private DeliveryEngine engine;
    private SinkCommitter committer;
    private Backpressure backpressure;
    private Instant lastReport = Instant.EPOCH;
    private PayloadSweeps payloadSweeps;

    /** Connects its Kafka clients and starts its loop; a sink that exists runs, until {@link #close()}. */
    public static WebhookSink start(SinkSettings settings) {
        WebhookSink sink = new WebhookSink(settings, Endpoint.configured(settings, WebhookPoster.httpClient(settings), Clock.systemUTC()),
                Clock.systemUTC());
        new Thread(sink::loop, THREAD_NAME).start();
        return sink;
    }

    private WebhookSink(SinkSettings settings, List<Endpoint> endpoints, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.endpoints = List.copyOf(endpoints);
        this.clients = SinkClients.open(settings);
        this.runner = new AttemptRunner(endpoints.stream().mapToInt(Endpoint::maxInFlight).sum());
        endpoints.forEach(endpoint -> metrics.register(endpoint.name()));
    }

    /** How many partitions of the events topic this sink works now; 0 before its group gave it any. */
    public int partitionsOwned() {
        return partitionsOwned;
    }

    /** Polling and posting, in its consumer group: what a readiness probe asks. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return engine != null && joined && !closing && !stopped.isDone();
        }
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    private void loop() {
        Throwable failure = null;
        try {
            String indexId = SinkTopics.check(settings);
            index = DeliveryIndex.open(settings.stateDir().resolve(safe(settings.instanceId()))
                    .resolve(safe(settings.topics().deliveryIndex()) + "-" + indexId));
            restorer = new IndexRestorer(clients.restore, settings.topics().deliveryIndex(), index);
            clients.producer.initTransactions();
            Map<String, Boolean> paused = clients.controls.catchUp(KAFKA_TIMEOUT);
            synchronized (lifecycle) {
                engine = new DeliveryEngine(endpoints, settings.circuit(), settings.retry(), settings.goneHold(), settings.topics(),
                        index, clock, metrics, settings.maxBuffered());
            }
            paused.forEach(engine::setPaused);
            backpressure = new Backpressure(clients.events, settings.maxBuffered());
            payloadSweeps = new PayloadSweeps(settings.payloadRetention());
            committer = new SinkCommitter(clients.transactions, engine, index, counts, metrics, clock, settings.commitInterval(),
                    settings.topics().deliveryIndex());
            clients.events.subscribe(List.of(settings.topics().appointmentEvents()), new PartitionHandover(settings, clients.events, clients.requests, restorer,
                    engine, runner, committer, () -> abandoned, this::owns, KAFKA_TIMEOUT));
            LOG.info("sink started: {} → {} as {}", settings.topics().appointmentEvents(), endpoints, settings.instanceId());
            while (!closing) {
                step();
            }
        } catch (OffsetOutOfRangeException e) {
            IllegalStateException gap = e.partitions().stream().anyMatch(clients.requests::reads)
                    ? clients.requests.gap(e) : OffsetGap.of(e, clients.events, "the sink", "events");
            LOG.error(gap.getMessage());
            failure = gap;
            abandoned = true;
        } catch (FencedInstanceIdException e) {
            LOG.error("another sink joined group {} as {}: each running sink needs its own BOOKHOOK_SINK_INSTANCE_ID; this one stops",
                    settings.groupId(), settings.instanceId());
            failure = e;
            abandoned = true;
        } catch (Throwable e) {
            LOG.error("sink stopped by {}", e.toString(), e);
            failure = e;
            abandoned = true;
        } finally {
            shutDown(failure == null);
            if (failure == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(failure);
            }
        }
    }

    private void step() {
        for (ConsumerRecord<String, byte[]> record : clients.events.poll(pollTimeout())) {
            engine.acceptEvent(record);
        }
        for (ConsumerRecord<String, byte[]> record : clients.requests.poll()) {
            engine.acceptRequest(record);
        }
        Map<String, Boolean> controlled = clients.controls.poll();
        controlled.forEach(engine::setPaused);
        if (!controlled.isEmpty()) {
            lastReport = Instant.EPOCH; // an operator sees a pause or resume in effect at once, not at the next report
        }
        engine.completed(runner.drain());
        for (DeliveryEngine.Attempt attempt : engine.startable()) {
            runner.submit(attempt);
        }
        if (!Duration.between(lastReport, clock.instant()).minus(REPORT_EVERY).isNegative()) {
            lastReport = clock.instant();
            engine.report(settings.instanceId());
        }
        payloadSweeps.sweepIfDue(engine, clock.instant());
        if (committer.due()) {
            committer.commit(clients.events.groupMetadata());
        }
        backpressure.update(engine.held());
        metrics.endpoints(engine.endpointStatus());
    }

    /** Short while attempts are in flight, so results are taken up promptly; else up to the next due retry. */
    private Duration pollTimeout() {
        if (runner.running() > 0) {
            return BUSY_POLL;
        }
        return engine.nextDue().map(due -> Duration.between(clock.instant(), due))
                .filter(untilDue -> untilDue.compareTo(IDLE_POLL) < 0)
                .map(untilDue -> untilDue.isNegative() ? Duration.ZERO : untilDue)
                .orElse(IDLE_POLL);
    }

    /** Partitions its group gave it or took away ({@link PartitionHandover}): from the first, empty or not, it takes part. */
    private void owns(int partitions) {
        partitionsOwned = partitions;
        joined = true;
    }

    /** Leaves the group (static members do not by themselves), which lets the partitions go through {@link PartitionHandover}. */
    private void shutDown(boolean graceful) {
        runner.close();
        clients.close(graceful && engine != null ? settings.requestTimeout().plusSeconds(15) : Duration.ofSeconds(5), restorer);
        endpoints.forEach(endpoint -> endpoint.poster().close());
        if (index != null) {
            index.close();
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Completes when the loop has ended and the Kafka clients are closed; exceptionally with what killed it. */
    @Override
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Live counts of what this sink committed. */
    public DeliveryCounts counts() {
        return counts;
    }

    /** Where this sink keeps its local copy of the delivery index. */
    Path stateDir() {
        return settings.stateDir().resolve(safe(settings.instanceId()));
    }

    /**
     * Stops the loop and waits for it, at most one request deadline plus a margin: attempts in flight finish and are
     * recorded, deliveries waiting for a retry stay waiting in the delivery index for the next run.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
        }
        Duration patience = settings.requestTimeout().plusSeconds(25);
        try {
            stopped.handle((ok, failure) -> null).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timedOut) {
            LOG.warn("sink loop did not stop within {}; leaving it to finish on its own", patience);
        }
    }
}
