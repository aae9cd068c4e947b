package io.bookhook.capture;

import io.bookhook.schemas.DeadLetters;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each Debezium change to {@code bookhook.cdc.<table>} keyed by primary key, and marks the batch
 * processed only after Kafka acknowledged every record of it: a crash before the ack replays the batch
 * from the last flushed offset instead of losing it.
 *
 * <p>A change Kafka refuses as too large would fail the same way after every restart while the replication slot
 * holds WAL, so it is not retried: its key goes to the dead-letter topic with the reason, the table and its LSN, and
 * the batch is marked processed so the slot moves on. Any other refusal still stops capture.
 */
final class KafkaChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangePublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final Set<String> publishedTables;
    private final int maxMessageBytes;
    private final MeterRegistry registry;
    private final Counter tooLarge;
    private final ReentrantLock publishing = new ReentrantLock();
    private boolean stopping;

    KafkaChangePublisher(Producer<byte[], byte[]> producer, TopicNames topics, Set<String> publishedTables, int maxMessageBytes) {
        this(producer, topics, publishedTables, maxMessageBytes, Metrics.globalRegistry);
    }

    KafkaChangePublisher(Producer<byte[], byte[]> producer, TopicNames topics, Set<String> publishedTables, int maxMessageBytes,
            MeterRegistry registry) {
        this.producer = producer;
        this.topics = topics;
        this.publishedTables = Set.copyOf(publishedTables);
        this.maxMessageBytes = maxMessageBytes;
        this.registry = registry;
        this.tooLarge = Counter.builder("bookhook.dead.letters").tag("stage", DeadLetters.CAPTURE.stage()).tag("reason", "too_large")
                .description("Records sent to the dead-letter topic").register(registry);
    }

    /** One change on its way to its topic. */
    private record Publication(ChangeEvent<String, String> change, String table, byte[] key, byte[] value, Future<RecordMetadata> ack) {
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        publishing.lock();
        try {
            if (stopping) {
                // Neither published nor marked: capture reads these changes again when it starts next, and publishes them once.
                return;
            }
            publish(records, committer);
        } finally {
            publishing.unlock();
        }
    }

    /**
     * Lets the batch being published finish (sent, acknowledged and marked processed) and refuses the next ones. Capture
     * calls it before it stops the engine, because the engine stops by interrupting the thread that handles a batch:
     * a batch interrupted after its changes were sent but before they were marked would be published again after a
     * graceful restart.
     */
    void stopPublishing() {
        publishing.lock();
        try {
            stopping = true;
        } finally {
            publishing.unlock();
        }
    }

    private void publish(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Publication> publications = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            String table = tableOf(record.destination());
            if (table != null && publishedTables.contains(table)) {
                byte[] key = bytes(record.key());
                byte[] value = bytes(record.value());
                publications.add(new Publication(record, table, key, value,
                        producer.send(new ProducerRecord<>(topics.cdcTopic(table), key, value))));
            }
        }
        // The batch is acknowledged before the next is taken anyway: send it now instead of lingering for more.
        producer.flush();
        List<Future<RecordMetadata>> deadLetterAcks = new ArrayList<>();
        List<String> publishedTo = new ArrayList<>(publications.size());
        for (Publication publication : publications) {
            try {
                publication.ack().get();
                publishedTo.add(publication.table());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException refused) {
                    deadLetterAcks.add(deadLetter(publication, refused));
                } else {
                    // Not marking the batch lets the engine stop and retry from the last committed offset.
                    throw new IllegalStateException("Kafka did not acknowledge a change event: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
        if (!deadLetterAcks.isEmpty()) {
            producer.flush();
            for (Future<RecordMetadata> ack : deadLetterAcks) {
                try {
                    ack.get();
                } catch (ExecutionException e) {
                    // Marking the batch now would lose the change without a trace: stop and retry it instead.
                    throw new IllegalStateException("Kafka did not acknowledge the dead letter of a change too large for it: "
                            + e.getCause().getMessage(), e.getCause());
                }
                tooLarge.increment();
            }
        }
        for (String table : publishedTo) {
            registry.counter("bookhook.capture.changes", "table", table).increment();
        }
        for (ChangeEvent<String, String> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /**
     * The change's key without its value (the value is what Kafka refused), with why and where it came from: the
     * table and the LSN find the row in Postgres.
     */
    private Future<RecordMetadata> deadLetter(Publication publication, RecordTooLargeException refused) {
        String reason = tooLargeReason(size(publication.key()) + size(publication.value()), maxMessageBytes, refused);
        String lsn = lsnOf(publication.value());
        ProducerRecord<byte[], byte[]> letter = DeadLetters.CAPTURE.ofChange(publication.key(), publication.table(), lsn, reason,
                topics.deadLetter());
        LOG.warn("change of {} with key {} at LSN {} goes to {} instead of {}: {}", publication.table(), publication.change().key(), lsn,
                topics.deadLetter(), topics.cdcTopic(publication.table()), reason);
        return producer.send(letter);
    }

    static String tooLargeReason(long changeBytes, int maxMessageBytes, RecordTooLargeException refused) {
        if (changeBytes > maxMessageBytes) {
            return String.format(Locale.ROOT, "change of %,d bytes is over the %,d-byte limit (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES)",
                    changeBytes, maxMessageBytes);
        }
        // Under bookhook's own limit, yet refused: the producer's per-record overhead tipped it over, or the broker
        // or topic takes less (max.message.bytes) than BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES allows.
        return String.format(Locale.ROOT, "change of %,d bytes was refused by Kafka as too large (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES is %,d;"
                + " check the topic's max.message.bytes): %s", changeBytes, maxMessageBytes, CapturePreflight.firstLine(refused.getMessage()));
    }

    /** Debezium's {@code source.lsn} of the change, or null when the value does not say. */
    static String lsnOf(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            var lsn = Json.mapper().readTree(value).at("/source/lsn");
            return lsn.isMissingNode() || lsn.isNull() ? null : lsn.asText();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return true;
    }

    /**
     * The table of a data change ({@code bookhook.<schema>.<table>}), or null for Debezium's own records such
     * as heartbeats. Those, and changes of the heartbeat table, only advance offsets and are not published.
     */
    static String tableOf(String destination) {
        String prefix = DebeziumProperties.TOPIC_PREFIX + ".";
        if (destination == null || !destination.startsWith(prefix)) {
            return null;
        }
        String schemaAndTable = destination.substring(prefix.length());
        int dot = schemaAndTable.indexOf('.');
        return dot < 0 ? null : schemaAndTable.substring(dot + 1);
    }

    private static long size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
