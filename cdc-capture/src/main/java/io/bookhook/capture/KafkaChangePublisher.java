package io.bookhook.capture;

import io.bookhook.schemas.TopicNames;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes each Debezium change to {@code bookhook.cdc.<table>} keyed by primary key, and marks the batch
 * processed only after Kafka acknowledged every record of it: a crash before the ack replays the batch
 * from the last flushed offset instead of losing it.
 */
final class KafkaChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final Set<String> publishedTables;

    KafkaChangePublisher(Producer<byte[], byte[]> producer, TopicNames topics, Set<String> publishedTables) {
        this.producer = producer;
        this.topics = topics;
        this.publishedTables = Set.copyOf(publishedTables);
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            String table = tableOf(record.destination());
            if (table != null && publishedTables.contains(table)) {
                acks.add(producer.send(new ProducerRecord<>(topics.cdcTopic(table), bytes(record.key()), bytes(record.value()))));
            }
        }
        // The batch is acknowledged before the next is taken anyway: send it now instead of lingering for more.
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                // Not marking the batch lets the engine stop and retry from the last committed offset.
                throw new IllegalStateException("Kafka did not acknowledge a change event: " + e.getCause().getMessage(), e.getCause());
            }
        }
        for (ChangeEvent<String, String> record : records) {
            String table = tableOf(record.destination());
            if (table != null && publishedTables.contains(table)) {
                Metrics.counter("bookhook.capture.changes", "table", table).increment();
            }
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
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

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
