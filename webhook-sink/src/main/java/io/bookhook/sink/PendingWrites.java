package io.bookhook.sink;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EndpointReport;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the engine decided since the last drain, in the order it decided it: the records the next transaction writes
 * (ledger records, index entries, dead letters, endpoint reports), and the deliveries whose state it settles.
 */
final class PendingWrites {

    private final TopicNames topics;
    private final LedgerRecords ledgerRecords;
    private final Serializer<IndexEntry> indexValues = JsonSerde.of(IndexEntry.class).serializer();
    private final Serializer<EndpointReport> reportValues = JsonSerde.of(EndpointReport.class).serializer();

    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private final Map<String, Integer> pendingAt = new HashMap<>();
    private final List<CommitBatch.IndexWrite> index = new ArrayList<>();
    private final List<Delivery> parked = new ArrayList<>();
    private final List<Delivery> done = new ArrayList<>();
    private final List<Delivery> spilled = new ArrayList<>();
    private CommitBatch.Outcomes outcomes = CommitBatch.Outcomes.none();
    private long drains;

    PendingWrites(TopicNames topics) {
        this.topics = topics;
        this.ledgerRecords = new LedgerRecords(topics.deliveryLedger());
    }

    /** The number the next drained batch gets; what is parked now may leave memory once that batch commits. */
    long nextBatchNumber() {
        return drains + 1;
    }

    /**
     * A ledger record. A {@code pending} record that a later record of the same delivery follows in the same
     * batch is dropped: nobody could have seen it, and the ledger keeps only the latest per delivery anyway.
     */
    void ledger(DeliveryRecord record) {
        Integer superseded = pendingAt.remove(record.deliveryId());
        if (superseded != null) {
            records.set(superseded, null);
        }
        if (record.status() == DeliveryStatus.PENDING) {
            pendingAt.put(record.deliveryId(), records.size());
        }
        records.add(ledgerRecords.of(record));
    }

    void index(Delivery d, IndexEntry entry) {
        index(d.partition, d.id, entry);
    }

    /** An index entry of a delivery this sink does not hold in memory. */
    void index(int partition, String deliveryId, IndexEntry entry) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.deliveryIndex(), partition, deliveryId,
                indexValues.serialize(topics.deliveryIndex(), entry));
        records.add(record);
        index.add(new CommitBatch.IndexWrite(partition, entry, record));
    }

    void deadLetter(ProducerRecord<String, byte[]> letter) {
        records.add(letter);
        outcomes = new CommitBatch.Outcomes(outcomes.byEndpoint(), outcomes.deadLettered() + 1);
    }

    void report(EndpointReport report) {
        records.add(new ProducerRecord<>(topics.endpointStatus(), report.kafkaKey(), reportValues.serialize(topics.endpointStatus(), report)));
    }

    /** One outcome of {@code endpoint}, a {@link CommitBatch.Outcomes} kind. */
    void count(String endpoint, int kind) {
        outcomes.byEndpoint().computeIfAbsent(endpoint, e -> new int[3])[kind]++;
    }

    void parked(Delivery d) {
        parked.add(d);
    }

    void done(Delivery d) {
        done.add(d);
    }

    void spilled(Delivery d) {
        spilled.add(d);
    }

    /** Drops the index entries of a partition this sink no longer owns: they are its new owner's to write. */
    void forget(int partition) {
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<String, byte[]> r = records.get(i);
            if (r != null && r.topic().equals(topics.deliveryIndex()) && r.partition() != null && r.partition() == partition) {
                records.set(i, null);
            }
        }
        index.removeIf(w -> w.partition() == partition);
    }

    /** Everything decided since the last drain, with the offsets it accounts for; starts collecting anew. */
    CommitBatch drain(Map<TopicPartition, OffsetAndMetadata> offsets) {
        drains++;
        List<ProducerRecord<String, byte[]>> kept = records.stream().filter(r -> r != null).toList();
        CommitBatch batch = new CommitBatch(drains, kept, offsets, List.copyOf(index), List.copyOf(parked), List.copyOf(done),
                List.copyOf(spilled), outcomes);
        records.clear();
        pendingAt.clear();
        index.clear();
        parked.clear();
        done.clear();
        spilled.clear();
        outcomes = CommitBatch.Outcomes.none();
        return batch;
    }
}
