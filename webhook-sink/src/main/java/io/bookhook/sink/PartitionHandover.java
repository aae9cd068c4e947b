package io.bookhook.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink does when its group moves event partitions: a partition it is given is worked only after the delivery
 * index is read up to now (its waiting deliveries resume) and its requests are read; a partition it gives up goes only
 * after its attempts in flight finished and everything is committed, so its next owner neither loses nor repeats.
 */
final class PartitionHandover implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionHandover.class);

    /** Tells the sink what it works now, for those who wait until it takes part (the demo, the bench, readiness). */
    interface Owned {
        void partitions(int count);
    }

    private final SinkSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final RequestReader requests;
    private final IndexRestorer restorer;
    private final DeliveryEngine engine;
    private final AttemptRunner runner;
    private final SinkCommitter committer;
    private final BooleanSupplier abandoned;
    private final Owned owned;
    private final Duration kafkaTimeout;

    PartitionHandover(SinkSettings settings, Consumer<String, byte[]> consumer, RequestReader requests, IndexRestorer restorer,
                      DeliveryEngine engine, AttemptRunner runner, SinkCommitter committer, BooleanSupplier abandoned, Owned owned,
                      Duration kafkaTimeout) {
        this.settings = settings;
        this.consumer = consumer;
        this.requests = requests;
        this.restorer = restorer;
        this.engine = engine;
        this.runner = runner;
        this.committer = committer;
        this.abandoned = abandoned;
        this.owned = owned;
        this.kafkaTimeout = kafkaTimeout;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        release(eventPartitions(partitions));
    }

    /** The index is read up to now first, then the waiting deliveries of the partition resume and its requests are read. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = eventPartitions(partitions);
        if (numbers.isEmpty()) {
            owned.partitions(engine.owned().size());
            return;
        }
        Set<TopicPartition> assigned = new HashSet<>();
        numbers.forEach(p -> {
            assigned.add(requests.partition(p));
            assigned.add(new TopicPartition(settings.topics().appointmentEvents(), p));
        });
        // One round trip for the offsets of both: it waits while a transaction of a killed instance holds them.
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, kafkaTimeout);
        startNeverReadPartitionsAtTheBeginning(numbers, committed);
        for (int partition : numbers) {
            restorer.restore(partition, kafkaTimeout);
            long eventsPosition = consumer.position(new TopicPartition(settings.topics().appointmentEvents(), partition), kafkaTimeout);
            long requestsPosition = requests.assign(partition, committed.get(requests.partition(partition)));
            engine.assigned(partition, eventsPosition, requestsPosition);
        }
        owned.partitions(engine.owned().size());
        LOG.info("sink {} now works partitions {} of {}", settings.instanceId(), numbers, settings.topics().appointmentEvents());
    }

    /** Another member owns them already: nothing of theirs may be committed by us now. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        for (int partition : eventPartitions(partitions)) {
            engine.forget(partition);
            requests.unassign(partition);
            committer.dropUncommitted(partition);
        }
        owned.partitions(engine.owned().size());
    }

    /**
     * The group reads a partition it never committed an offset of from its beginning. Nothing else resets: the
     * consumer's reset policy is {@code none}, so a committed offset that retention deleted stops the sink (see
     * {@link OffsetGap}) instead of skipping what was deleted.
     */
    private void startNeverReadPartitionsAtTheBeginning(Set<Integer> numbers, Map<TopicPartition, OffsetAndMetadata> committed) {
        List<TopicPartition> neverRead = numbers.stream().map(p -> new TopicPartition(settings.topics().appointmentEvents(), p))
                .filter(tp -> committed.get(tp) == null).toList();
        if (!neverRead.isEmpty()) {
            consumer.seekToBeginning(neverRead);
        }
    }

    /**
     * Lets partitions go gracefully: no new attempts for them, those in flight finish and are recorded (bounded by the
     * request deadline), and everything is committed before they go.
     */
    private void release(Set<Integer> partitions) {
        if (partitions.isEmpty() || abandoned.getAsBoolean()) {
            return;
        }
        partitions.forEach(engine::revoking);
        long deadline = System.nanoTime() + settings.requestTimeout().plusSeconds(5).toNanos();
        try {
            while (partitions.stream().mapToInt(engine::inFlight).sum() > 0 && System.nanoTime() < deadline) {
                engine.completed(runner.drain(Duration.ofMillis(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (partitions.stream().mapToInt(engine::inFlight).sum() > 0) {
            LOG.warn("attempts to partitions {} did not finish in time; their next owner will post them again", partitions);
        }
        if (!committer.commit(consumer.groupMetadata())) {
            LOG.warn("could not commit before letting partitions {} go; their next owner reads their open records again", partitions);
            partitions.forEach(committer::dropUncommitted);
        }
        for (int partition : partitions) {
            engine.forget(partition);
            requests.unassign(partition);
        }
        owned.partitions(engine.owned().size());
    }

    private Set<Integer> eventPartitions(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new HashSet<>();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(settings.topics().appointmentEvents())) {
                numbers.add(tp.partition());
            }
        }
        return numbers;
    }
}
