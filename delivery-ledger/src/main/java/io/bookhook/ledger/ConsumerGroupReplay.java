package io.bookhook.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Moves the sink's consumer group back to the first event at or after a time, so the sink reads those events
 * again; the ledger (skip-delivered) keeps receivers from getting again what they already accepted. What Kafka's
 * {@code kafka-consumer-groups --reset-offsets --to-datetime} does, with the same refusal: a group with live
 * members would overwrite the reset with its own next commit, so it must be stopped first.
 */
public final class ConsumerGroupReplay {

    private final Admin admin;
    private final Duration timeout;

    public ConsumerGroupReplay(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * One partition's move: the committed offset before (null when the group had none) and the offset it resumes at,
     * never after the committed one.
     */
    public record PartitionReset(int partition, Long committedBefore, long resumeAt) {
    }

    public record Plan(String group, String topic, Instant since, List<PartitionReset> partitions) {
    }

    /** What a reset would do, without doing it; refuses as {@link #reset} does. */
    public Plan plan(String group, String topic, Instant since) {
        requireNoLiveMembers(group);
        List<TopicPartition> partitions = partitionsOf(topic);
        Map<TopicPartition, OffsetSpec> atTime = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.forTimestamp(since.toEpochMilli())));
        Map<TopicPartition, ListOffsetsResultInfo> found = await(admin.listOffsets(atTime,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "offsets of " + topic + " at " + since);
        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                "offsets of group " + group);
        List<TopicPartition> noEventSince = partitions.stream().filter(tp -> found.get(tp).offset() < 0).toList();
        // No event at or after the time on a partition: resume at its end, so nothing older is read again.
        Map<TopicPartition, ListOffsetsResultInfo> ends = noEventSince.isEmpty() ? Map.of() : await(admin.listOffsets(
                noEventSince.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "end offsets of " + topic);
        List<PartitionReset> resets = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long firstSince = found.get(tp).offset() >= 0 ? found.get(tp).offset() : ends.get(tp).offset();
            OffsetAndMetadata before = committed.get(tp);
            // A replay re-reads, it never skips: a sink still behind the time keeps its place instead of jumping past
            // events it has not read yet (kafka-consumer-groups --to-datetime would move it forward).
            long resumeAt = before == null ? firstSince : Math.min(before.offset(), firstSince);
            resets.add(new PartitionReset(tp.partition(), before == null ? null : before.offset(), resumeAt));
        }
        resets.sort(Comparator.comparingInt(PartitionReset::partition));
        return new Plan(group, topic, since, List.copyOf(resets));
    }

    /** Commits the plan's offsets for the group. */
    public Plan reset(String group, String topic, Instant since) {
        Plan plan = plan(group, topic, since);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        plan.partitions().forEach(p -> offsets.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(p.resumeAt())));
        await(admin.alterConsumerGroupOffsets(group, offsets).all(), "the reset of group " + group);
        return plan;
    }

    private void requireNoLiveMembers(String group) {
        Collection<MemberDescription> members;
        try {
            members = await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group), "group " + group).members();
        } catch (OperatorException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!members.isEmpty()) {
            String who = members.stream().map(m -> m.clientId() + "@" + m.host()).sorted().collect(Collectors.joining(", "));
            throw OperatorException.conflict("consumer group " + group + " has " + members.size() + " live member(s) (" + who
                    + "): stop the sink first, then replay; a running sink would overwrite the reset with its next commit");
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        try {
            return await(admin.describeTopics(List.of(topic)).allTopicNames(), "topic " + topic).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (OperatorException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw OperatorException.notFound("topic " + topic + " does not exist");
            }
            throw e;
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw OperatorException.unavailable("Kafka did not answer within " + timeout.toSeconds() + " s while reading " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw OperatorException.unavailable("Kafka did not answer in time while reading " + what, cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.UnknownMemberIdException
                    || cause instanceof org.apache.kafka.common.errors.GroupNotEmptyException) {
                throw OperatorException.conflict("consumer group has live members now: stop the sink first, then replay");
            }
            throw OperatorException.unavailable("Kafka refused " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperatorException.unavailable("interrupted while reading " + what, e);
        }
    }
}
