package io.bookhook.ledger;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.TopicSpec;
import io.bookhook.schemas.TopicTailer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted ledger materialized on local disk: a {@link TopicTailer} on a thread of its own reads the topic from
 * the beginning (committed records only, so a sink's aborted transaction never shows), catches up to the end offsets
 * it saw at start, and keeps following. No consumer group: the view is a reader, it owns no offsets. The records go
 * to a {@link LedgerIndex} in a fresh directory of its own (so every start reads the topic again, as a view of the
 * ledger should), which {@link #close()} deletes; queries go to {@link #index()} from any thread.
 */
public final class LedgerView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerView.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final String bootstrapServers;
    private final TopicTailer<String, byte[]> ledger;
    private final LedgerIndex index;
    private final Deserializer<DeliveryRecord> values = TopicSpec.DELIVERY_LEDGER.values().deserializer();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean closing;
    private volatile String waitingFor = "not started";

    private LedgerView(Map<String, String> kafkaClient, String topic, LedgerIndex index) {
        this.topic = topic;
        this.index = index;
        this.bootstrapServers = kafkaClient.getOrDefault(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
        // Bytes, not records: one unreadable record is skipped and counted here instead of stopping the view.
        this.ledger = TopicTailer.open(kafkaClient, "bookhook-ledger-view", TopicSpec.DELIVERY_LEDGER.keys().deserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Starts following {@code topic}, keeping the view in a new directory under {@code java.io.tmpdir}; use
     * {@link #awaitCaughtUp(Duration)} before trusting an answer.
     */
    public static LedgerView start(Map<String, String> kafkaClient, String topic) {
        return start(kafkaClient, topic, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Starts following {@code topic}, keeping the view in a new directory {@code bookhook-ledger-view-*} under
     * {@code stateDirectory} (created when missing), deleted on {@link #close()}; use {@link #awaitCaughtUp(Duration)}
     * before trusting an answer.
     */
    public static LedgerView start(Map<String, String> kafkaClient, String topic, Path stateDirectory) {
        LedgerIndex index = LedgerIndex.create(stateDirectory);
        LedgerView view;
        try {
            view = new LedgerView(kafkaClient, topic, index);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        Thread follower = new Thread(view::follow, "bookhook-ledger-view");
        follower.setDaemon(true);
        follower.start();
        return view;
    }

    public LedgerIndex index() {
        return index;
    }

    /** True once the view has read everything the ledger held when it started. */
    public boolean isCaughtUp() {
        return caughtUp.isDone() && !caughtUp.isCompletedExceptionally() && !stopped.isDone();
    }

    /** Why the view is not caught up yet, for readiness answers. */
    public String waitingFor() {
        return isCaughtUp() ? "nothing" : waitingFor;
    }

    /** Blocks until caught up; an {@code UNAVAILABLE} {@link OperatorException} naming the broker when it takes longer. */
    public void awaitCaughtUp(Duration timeout) {
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw OperatorException.unavailable("Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds()
                    + " s (" + waitingFor + ")", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof OperatorException known ? known
                    : OperatorException.unavailable("cannot read " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted while reading " + topic, e);
        }
    }

    public long recordsRead() {
        return recordsRead.get();
    }

    /** Ledger records that were not a readable {@code DeliveryRecord}: skipped, counted, logged by position only. */
    public long unreadableRecords() {
        return unreadable.get();
    }

    private void follow() {
        RuntimeException failure = null;
        try {
            List<TopicPartition> partitions = awaitPartitions();
            waitingFor = "reading " + topic + " to its end";
            ledger.fromBeginning(partitions, METADATA_TIMEOUT);
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : ledger.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!caughtUp.isDone() && ledger.caughtUp()) {
                    LOG.info("ledger view caught up: {} deliveries from {}", index.size(), topic);
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException closed) {
            // close() woke the poll up: a normal stop.
        } catch (RuntimeException e) {
            if (closing) {
                // close() gave up waiting and closed the index under the follower: a normal stop too.
                LOG.debug("ledger view of {} stopped while closing: {}", topic, e.toString());
                return;
            }
            LOG.error("ledger view of {} stopped: {}", topic, e.toString(), e);
            failure = e;
            caughtUp.completeExceptionally(e);
        } finally {
            ledger.close(Duration.ofSeconds(2));
            caughtUp.completeExceptionally(new IllegalStateException("the ledger view was closed"));
            if (failure == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(failure);
            }
        }
    }

    /** Keeps asking while Kafka does not answer, so an admin started before Kafka becomes ready later on its own. */
    private List<TopicPartition> awaitPartitions() {
        while (true) {
            try {
                waitingFor = "metadata of " + topic + " from " + bootstrapServers;
                List<TopicPartition> partitions = ledger.partitionsOf(topic, METADATA_TIMEOUT);
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                waitingFor = "topic " + topic + " to exist";
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("no metadata for {} yet: {}", topic, e.getMessage());
            }
            if (closing) {
                throw new WakeupException();
            }
            pause();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        recordsRead.incrementAndGet();
        if (record.key() == null) {
            unreadable.incrementAndGet();
            LOG.warn("ignoring a ledger record without a key at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        try {
            index.apply(record.key(), values.deserialize(record.topic(), record.value()));
        } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
            // The value may hold personal data: log where the record is, not what it holds.
            unreadable.incrementAndGet();
            LOG.warn("ignoring an unreadable ledger record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** Completes when the follower thread has ended and closed its consumer; exceptionally with what stopped it. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Stops following the topic, then closes the index and deletes its directory. */
    @Override
    public void close() {
        closing = true;
        ledger.wakeup();
        try {
            stopped.handle((ok, failed) -> null).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("ledger view did not stop within 5 s");
        } finally {
            index.close();
        }
    }
}
