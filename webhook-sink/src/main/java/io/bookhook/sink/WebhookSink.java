package io.bookhook.sink;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink: one consumer thread (this {@link #run()}) polls events and operator requests and hands each partition's records to its
 * {@link PartitionLane}, which posts them in order on a thread of its own. The consumer thread collects what the
 * lanes wrote and commits it, each final ledger record together with the offset past its event, in one Kafka
 * transaction; it pauses partitions whose lane waits out a retry, so it keeps polling and is never evicted.
 *
 * <p>Run it on a thread of its own; {@link #close()} from any other thread stops it gracefully: attempts in flight
 * finish and are recorded, waits are cut short and their events left for the next run.
 */
public final class WebhookSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration LEDGER_TIMEOUT = Duration.ofSeconds(60);

    private final SinkSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final WebhookPoster poster;
    private final DeliveredKeys ledger;
    private final SinkTransactions transactions;
    private final Lanes lanes;
    private final Producer<String, byte[]> producer;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final DeliveryCounts counts = new DeliveryCounts();
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    private boolean running;

    public WebhookSink(SinkSettings settings) {
        this(settings, new KafkaConsumer<>(SinkKafkaClients.consumer(settings)),
                new KafkaProducer<>(SinkKafkaClients.producer(settings)),
                new KafkaConsumer<>(SinkKafkaClients.ledgerReader(settings)),
                WebhookPoster.overHttp(settings, Clock.systemUTC()), Clock.systemUTC());
    }

    WebhookSink(SinkSettings settings, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                Consumer<String, byte[]> ledgerReader, WebhookPoster poster, Clock clock) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = producer;
        this.poster = poster;
        this.ledger = new DeliveredKeys(ledgerReader, settings.topics().deliveryLedger());
        DeliveryAttempts attempts = new DeliveryAttempts(poster, new RetryDecisions(settings.retry()),
                new EndpointHold(clock, settings.goneHold()));
        LaneProcessor processor = new TopicRouter(settings.topics().deliveryRequests(),
                new RecordProcessor(settings.webhookUrl(), settings.topics(), attempts, ledger, clock),
                new RequestProcessor(settings.webhookUrl(), settings.topics(), attempts, ledger, clock));
        this.lanes = new Lanes(partition -> new PartitionLane(partition, processor), settings.requestTimeout().plusSeconds(5));
        this.transactions = new SinkTransactions(consumer, producer);
    }

    /** Polling and posting: what a readiness probe asks. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return running && !closing && !stopped.isDone();
        }
    }

    @Override
    public void run() {
        synchronized (lifecycle) {
            if (running || closing) {
                throw new IllegalStateException(running ? "the sink is already running" : "the sink was closed");
            }
            running = true;
        }
        Throwable failure = null;
        try {
            producer.initTransactions();
            ledger.start(LEDGER_TIMEOUT);
            // Operator requests share the consumer and its transactions: a request is carried out once, and waits
            // durably on its topic while no sink runs.
            consumer.subscribe(List.of(settings.topics().appointmentEvents(), settings.topics().deliveryRequests()), new Rebalance());
            LOG.info("sink started: {} → {}", settings.topics().appointmentEvents(), settings);
            while (!closing) {
                lanes.dispatch(consumer.poll(POLL));
                commit(lanes.drain());
                lanes.checkHealth();
                lanes.updatePauses(consumer);
            }
            commit(lanes.stopAll());
        } catch (Throwable e) {
            LOG.error("sink stopped by {}", e.toString(), e);
            failure = e;
        } finally {
            lanes.stopAll();
            ledger.close();
            poster.close();
            transactions.closeClients();
            if (failure == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(failure);
            }
        }
    }

    private void commit(List<LaneWrite> writes) {
        if (transactions.commit(writes)) {
            counts.addCommitted(writes);
        } else {
            // The aborted writes are gone; their lanes may have moved on. Start the partitions over from the
            // committed offsets: what was delivered is skipped by the ledger index, the rest delivered again.
            lanes.stopAll();
            transactions.rewind();
        }
    }

    /** Lanes stop before their partitions go, and the new owner first reads the ledger up to now. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<LaneWrite> last = lanes.stop(partitions);
            last.addAll(lanes.drain());
            if (transactions.commit(last)) {
                counts.addCommitted(last);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                ledger.awaitCaughtUp(LEDGER_TIMEOUT);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member owns them already: nothing of theirs may be committed by us now.
            lanes.stop(partitions);
        }
    }

    /** Completes when the loop has ended and the Kafka clients are closed; exceptionally with what killed it. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Live counts of what this sink committed; handy for the demo and for metrics later. */
    public DeliveryCounts counts() {
        return counts;
    }

    /**
     * Stops the loop and waits for it, at most one request deadline plus a margin: attempts in flight finish and
     * are recorded, deliveries waiting for a retry are left unrecorded for the next run.
     */
    @Override
    public void close() {
        boolean wasRunning;
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
            wasRunning = running;
        }
        if (!wasRunning) {
            ledger.close();
            poster.close();
            transactions.closeClients();
            stopped.complete(null);
            return;
        }
        Duration patience = settings.requestTimeout().plusSeconds(10);
        try {
            stopped.handle((ok, failure) -> null).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timedOut) {
            LOG.warn("sink loop did not stop within {}; leaving it to finish on its own", patience);
        }
    }
}
