package io.bookhook.derive;

import io.bookhook.schemas.OffsetGaps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where derive's group stands in the appointment change topic before it starts. A committed offset the log no longer
 * holds (retention deleted the changes while derive was down, or the topic was created again) would make Kafka Streams
 * reset and skip those appointments without a word; derive stops instead, with one line. And once every partition
 * has a committed offset, nothing may reset at all while it runs ({@link #resetPolicy}).
 */
final class SourceOffsets {

    private static final long TIMEOUT_SECONDS = 60;
    private static final String RECORDS = "appointment changes";

    private final Map<TopicPartition, Long> committed;
    private final Map<TopicPartition, Long> starts;
    private final Map<TopicPartition, Long> ends;

    SourceOffsets(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
        this.committed = Map.copyOf(committed);
        this.starts = Map.copyOf(starts);
        this.ends = Map.copyOf(ends);
    }

    static SourceOffsets read(Map<String, String> kafkaClient, String group, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(new HashMap<>(kafkaClient))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> committed = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            offsets.forEach((tp, offset) -> {
                if (tp.topic().equals(topic) && offset != null) {
                    committed.put(tp, offset.offset());
                }
            });
            return new SourceOffsets(committed, offsets(admin, partitions, OffsetSpec.earliest()), offsets(admin, partitions, OffsetSpec.latest()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read where derive stands in " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read where derive stands in " + topic + " within " + TIMEOUT_SECONDS + " s (is Kafka reachable?)", e);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry
                : admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
            offsets.put(entry.getKey(), entry.getValue().offset());
        }
        return offsets;
    }

    /** Throws with one line when a committed offset is outside the log. */
    void requireNoGap() {
        List<String> gaps = new ArrayList<>();
        committed.forEach((partition, offset) ->
                OffsetGaps.describe(partition, offset, starts.get(partition), ends.get(partition), RECORDS).ifPresent(gaps::add));
        if (!gaps.isEmpty()) {
            gaps.sort(String::compareTo);
            throw OffsetGaps.stop("derive", RECORDS, gaps, null);
        }
    }

    /**
     * {@code earliest} while some partition was never read (a first start reads the topic from its beginning), {@code
     * none} once all were: an offset that goes out of range while derive runs then stops it instead of resetting.
     */
    String resetPolicy() {
        return committed.keySet().containsAll(starts.keySet()) ? "none" : "earliest";
    }
}
