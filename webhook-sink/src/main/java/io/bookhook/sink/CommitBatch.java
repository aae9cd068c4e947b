package io.bookhook.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything one Kafka transaction of the sink writes: ledger records, index entries and dead letters in the order
 * the engine made them, and the consumer offsets they account for. A batch whose transaction aborted is kept and
 * written again together with the next one, so nothing the engine decided is lost or reordered.
 *
 * @param number  the engine's drain count; deliveries parked in this drain may leave memory once it commits
 * @param parked  deliveries whose waiting state this batch makes durable
 * @param done    deliveries whose final state this batch records
 * @param spilled deliveries parked in the delivery index only, not held in memory
 */
record CommitBatch(long number, List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                   List<IndexWrite> indexWrites, List<Delivery> parked, List<Delivery> done, List<Delivery> spilled, Outcomes outcomes) {

    /** One index entry of the batch, with the record that carries it, so its offset can be read after the commit. */
    record IndexWrite(int partition, IndexEntry entry, ProducerRecord<String, byte[]> record) {
    }

    /** What the batch settles, counted once it commits. */
    record Outcomes(Map<String, int[]> byEndpoint, int deadLettered) {

        static final int DELIVERED = 0;
        static final int FAILED = 1;
        static final int SKIPPED = 2;

        static Outcomes none() {
            return new Outcomes(new HashMap<>(), 0);
        }

        int total(int kind) {
            return byEndpoint.values().stream().mapToInt(counts -> counts[kind]).sum();
        }

        Outcomes plus(Outcomes other) {
            Map<String, int[]> sum = new HashMap<>();
            for (Map<String, int[]> side : List.of(byEndpoint, other.byEndpoint)) {
                side.forEach((endpoint, counts) -> {
                    int[] into = sum.computeIfAbsent(endpoint, e -> new int[3]);
                    for (int i = 0; i < counts.length; i++) {
                        into[i] += counts[i];
                    }
                });
            }
            return new Outcomes(sum, deadLettered + other.deadLettered);
        }
    }

    boolean hasRecords() {
        return !records.isEmpty();
    }

    /** This batch, not committed, followed by {@code later}: written together in the next transaction. */
    CommitBatch then(CommitBatch later) {
        List<ProducerRecord<String, byte[]>> allRecords = new ArrayList<>(records);
        allRecords.addAll(later.records);
        Map<TopicPartition, OffsetAndMetadata> allOffsets = new HashMap<>(offsets);
        allOffsets.putAll(later.offsets);
        List<IndexWrite> allIndex = new ArrayList<>(indexWrites);
        allIndex.addAll(later.indexWrites);
        List<Delivery> allParked = new ArrayList<>(parked);
        allParked.addAll(later.parked);
        List<Delivery> allDone = new ArrayList<>(done);
        allDone.addAll(later.done);
        List<Delivery> allSpilled = new ArrayList<>(spilled);
        allSpilled.addAll(later.spilled);
        return new CommitBatch(later.number, allRecords, allOffsets, allIndex, allParked, allDone, allSpilled, outcomes.plus(later.outcomes));
    }

    /**
     * Without what belongs to a partition this sink no longer owns: its offsets and its index entries, which are now
     * its new owner's to write. Ledger records stay: they say what this sink did.
     */
    CommitBatch withoutPartition(String indexTopic, int partition) {
        List<ProducerRecord<String, byte[]>> kept = records.stream()
                .filter(r -> !(r.topic().equals(indexTopic) && r.partition() != null && r.partition() == partition)).toList();
        Map<TopicPartition, OffsetAndMetadata> keptOffsets = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (tp.partition() != partition) {
                keptOffsets.put(tp, offset);
            }
        });
        List<IndexWrite> keptIndex = indexWrites.stream().filter(w -> w.partition() != partition).toList();
        return new CommitBatch(number, kept, keptOffsets, keptIndex, parked, done, spilled, outcomes);
    }
}
