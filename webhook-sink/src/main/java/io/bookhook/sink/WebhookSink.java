package io.bookhook.sink;

import io.bookhook.sink.signing.MakeSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's loop: poll events, deliver each, then write the batch's ledger records and dead letters
 * together with the consumer offsets in one Kafka transaction. The HTTP work happens before the
 * transaction begins, so a slow receiver never holds a transaction open past its timeout.
 *
 * <p>Run it on a thread of its own; {@link #close()} from any other thread stops it.
 */
public final class WebhookSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final SinkSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final RecordProcessor processor;
    private final SinkTransactions transactions;
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    private boolean running;
    private final DeliveryCounts counts = new DeliveryCounts();

    public WebhookSink(SinkSettings settings) {
        this(settings, new KafkaConsumer<>(SinkKafkaClients.consumer(settings)),
                new KafkaProducer<>(SinkKafkaClients.producer(settings)),
                WebhookPoster.overHttp(WebhookPoster.httpClient(settings.connectTimeout()),
                        new MakeSignature(settings.secret()), settings.requestTimeout()),
                Clock.systemUTC());
    }

    WebhookSink(SinkSettings settings, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                WebhookPoster poster, Clock clock) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = producer;
        DeliveryAttempts attempts = new DeliveryAttempts(poster, RetryPolicy.from(settings), this::pauseUnlessClosing);
        this.processor = new RecordProcessor(settings.webhookUrl(), settings.topics(), attempts, clock);
        this.transactions = new SinkTransactions(consumer, producer);
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
            consumer.subscribe(List.of(settings.topics().appointmentEvents()));
            LOG.info("sink started: {} → {}", settings.topics().appointmentEvents(), settings);
            while (!closing) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    processBatch(records);
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                failure = e;
            }
        } catch (Throwable e) {
            LOG.error("sink stopped by {}", e.toString(), e);
            failure = e;
        } finally {
            transactions.closeClients();
            if (failure == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(failure);
            }
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) {
        List<RecordOutcome> outcomes = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                if (closing) {
                    break;
                }
                outcomes.add(processor.process(record));
                offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
        } catch (InterruptedException closingMidDelivery) {
            // The delivery in flight is abandoned unrecorded; its offset stays uncommitted, so it is redelivered
            // (same delivery id) by whoever reads the partition next. What finished before it is kept below.
            LOG.info("closing mid-delivery; keeping the {} deliveries finished in this batch", outcomes.size());
        }
        if (!offsets.isEmpty() && transactions.commit(outcomes, offsets)) {
            counts.addCommitted(outcomes);
        }
    }

    private void pauseUnlessClosing(Duration duration) throws InterruptedException {
        if (closeSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new InterruptedException("sink closing");
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
     * Stops the loop and waits for it, at most one request deadline plus a margin: a delivery in flight is
     * allowed to finish its current attempt, then is abandoned, never half-recorded.
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
        closeSignal.countDown();
        if (!wasRunning) {
            transactions.closeClients();
            stopped.complete(null);
            return;
        }
        consumer.wakeup();
        try {
            stopped.handle((ok, failure) -> null)
                    .get(settings.requestTimeout().plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timedOut) {
            LOG.warn("sink loop did not stop within {}; leaving it to finish on its own", settings.requestTimeout().plusSeconds(10));
        }
    }
}
