package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.JsonSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotency keys the ledger has seen delivered, by any sink instance: a thread tails the whole ledger topic
 * ({@code read_committed}) from its beginning, and the sink adds its own deliveries as they happen. Before the
 * sink works a newly assigned partition it waits until this index has read everything committed up to that
 * moment ({@link #awaitCaughtUp}), which includes what the partition's previous owner committed before it let go.
 */
final class DeliveredKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredKeys.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Set<String> deliveredKeys = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> requests = new ConcurrentLinkedQueue<>();
    private final Deserializer<DeliveryRecord> values = JsonSerde.of(DeliveryRecord.class).deserializer();
    private final Thread tailer;
    private volatile boolean closed;

    DeliveredKeys(Consumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
        this.tailer = new Thread(this::tail, "ledger-index-" + topic);
        tailer.setDaemon(true);
    }

    /** Assigns every ledger partition from the beginning; fails at once, naming the topic, when it is missing. */
    void start(Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("ledger topic " + topic + " does not exist; create it (compacted) before starting the sink");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        tailer.start();
    }

    boolean isDelivered(IdempotencyKey key) {
        return deliveredKeys.contains(key.toString());
    }

    /** The sink's own deliveries count at once, before the tailer reads them back. */
    void markDelivered(IdempotencyKey key) {
        deliveredKeys.add(key.toString());
    }

    /** Blocks until the index has read the ledger up to its end as of now. */
    void awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        requests.add(caughtUp);
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the ledger " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the ledger " + topic + " to its end within " + timeout, e);
        }
    }

    private void tail() {
        List<Target> targets = new ArrayList<>();
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                for (CompletableFuture<Void> request; (request = requests.poll()) != null; ) {
                    targets.add(new Target(request, consumer.endOffsets(consumer.assignment())));
                }
                for (Iterator<Target> it = targets.iterator(); it.hasNext(); ) {
                    Target target = it.next();
                    if (reached(target.endOffsets())) {
                        target.request().complete(null);
                        it.remove();
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("ledger index stopped reading {}: {}", topic, e.toString(), e);
                targets.forEach(target -> target.request().completeExceptionally(e));
                requests.forEach(request -> request.completeExceptionally(e));
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            DeliveryRecord delivery = values.deserialize(topic, record.value());
            if (delivery.status() == DeliveryStatus.DELIVERED) {
                deliveredKeys.add(delivery.idempotencyKey());
            }
        } catch (RuntimeException unreadable) {
            // Another writer's garbage must not stop the sink; it simply says nothing about deliveries.
            LOG.warn("skipping unreadable ledger record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
    }

    private boolean reached(Map<TopicPartition, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private record Target(CompletableFuture<Void> request, Map<TopicPartition, Long> endOffsets) {
    }

    @Override
    public void close() {
        closed = true;
        if (tailer.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            tailer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
