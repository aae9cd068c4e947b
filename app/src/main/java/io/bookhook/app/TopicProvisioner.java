package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.schemas.TopicNames;
import io.bookhook.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates bookhook's topics when they are missing, with the configured partitions and replication factor, and
 * checks the cleanup policy of those that exist, as {@link TopicSpec} says each must be. The ledger, the delivery
 * index, the endpoint control and status topics and the related-row change topics are compacted (the latest record per
 * key is the state); the appointment change, event, dead-letter and request topics are not, because every record of
 * them matters. A topic that exists with a policy that would lose data stops
 * the stage with one line naming the topic, its policy, and the fix; so does a delete-policy topic that keeps records
 * for less time than {@code BOOKHOOK_TOPIC_RETENTION} (for ever by default) or deletes them by size. The requests and delivery index topics are
 * created with as many partitions as the events topic has, since the sink keeps an appointment's requests and index
 * entries on its events' partition.
 */
final class TopicProvisioner {

    /**
     * Partitions and replication factor of the topics bookhook creates (no replication factor: the broker's default), and
     * how long its delete-policy topics keep records (empty: for ever).
     */
    record Layout(int partitions, Optional<Short> replicationFactor, Optional<Duration> retention) {
        Layout {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1");
            }
            if (retention.isPresent() && (retention.get().isNegative() || retention.get().isZero())) {
                throw new IllegalArgumentException("retention must be positive");
            }
        }

        Layout(int partitions, Optional<Short> replicationFactor) {
            this(partitions, replicationFactor, Optional.empty());
        }

        /** {@code retention.ms} as Kafka writes it: -1 for ever. */
        long retentionMs() {
            return retention.map(Duration::toMillis).orElse(-1L);
        }
    }

    static final String RETENTION_SETTING = SharedSettings.TOPIC_RETENTION.name();

    /** One topic by its name here, and what it must be ({@link TopicSpec}: its policy, the setting that names it, its partitions). */
    private record Wanted(String name, TopicSpec<?, ?> spec) {
        boolean compacted() {
            return spec.compacted();
        }

        String setting() {
            return spec.setting();
        }
    }

    private static final Duration METADATA_WAIT = Duration.ofSeconds(15);

    private final Admin admin;
    private final Layout layout;

    TopicProvisioner(Admin admin, Layout layout) {
        this.admin = admin;
        this.layout = layout;
    }

    /** Partitions only, the broker's default replication factor. */
    TopicProvisioner(Admin admin, int partitions) {
        this(admin, new Layout(partitions, Optional.empty()));
    }

    void ensure(TopicNames topics, TableMapping mapping) throws InterruptedException {
        List<TopicSpec<?, ?>> specs = new ArrayList<>();
        specs.add(TopicSpec.appointmentChanges(mapping.appointmentTable()));
        for (TableMapping.Relation relation : mapping.relations()) {
            specs.add(TopicSpec.relatedChanges(relation.table()));
        }
        specs.addAll(TopicSpec.NAMED);
        List<Wanted> wanted = specs.stream().map(spec -> new Wanted(spec.name(topics), spec)).toList();

        Set<String> existing = call(() -> admin.listTopics().names().get(), "list topics");
        int eventPartitions = existing.contains(topics.appointmentEvents()) ? partitionsOf(topics.appointmentEvents()) : layout.partitions();
        List<Wanted> toCheck = new ArrayList<>();
        for (Wanted topic : wanted) {
            if (existing.contains(topic.name()) || !create(topic, topic.spec().coPartitioned() ? eventPartitions : layout.partitions())) {
                toCheck.add(topic);
            }
        }
        checkCleanupPolicies(toCheck);
    }

    private int partitionsOf(String topic) throws InterruptedException {
        return call(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(), "describe topic " + topic).get(topic).partitions().size();
    }

    /** Creates the topic; false when it turned out to exist already (another stage created it meanwhile). */
    private boolean create(Wanted topic, int partitions) throws InterruptedException {
        String policy = topic.spec().cleanup().policy();
        Map<String, String> configs = topic.compacted() ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(layout.retentionMs()),
                        TopicConfig.RETENTION_BYTES_CONFIG, "-1");
        NewTopic newTopic = new NewTopic(topic.name(), Optional.of(partitions), layout.replicationFactor()).configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void checkCleanupPolicies(List<Wanted> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Wanted> resources = new LinkedHashMap<>();
        for (Wanted topic : topics) {
            resources.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), topic);
        }
        Map<ConfigResource, Config> configs = describeConfigs(resources);
        for (Map.Entry<ConfigResource, Wanted> entry : resources.entrySet()) {
            Wanted topic = entry.getValue();
            ConfigEntry policyEntry = configs.get(entry.getKey()).get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String policy = policyEntry == null || policyEntry.value() == null ? TopicConfig.CLEANUP_POLICY_DELETE : policyEntry.value();
            List<String> policies = Arrays.stream(policy.split(",")).map(String::strip).toList();
            if (topic.compacted() && (!policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
                    || policies.contains(TopicConfig.CLEANUP_POLICY_DELETE))) {
                throw new IllegalStateException("topic " + topic.name() + " exists with cleanup.policy=" + policy
                        + " but bookhook needs compact: its latest record per key is state, and deletion by retention"
                        + " would lose it. Set cleanup.policy=compact on it, or name another topic with " + topic.setting());
            }
            if (!topic.compacted() && policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("topic " + topic.name() + " exists with cleanup.policy=" + policy
                        + " but bookhook needs delete: compaction would drop all but the last record of each key."
                        + " Set cleanup.policy=delete on it, or name another topic with " + topic.setting());
            }
            if (!topic.compacted()) {
                checkRetention(topic, configs.get(entry.getKey()));
            }
        }
    }

    /**
     * A topic that deletes records sooner than {@value #RETENTION_SETTING} says (or by size) would let a stage that was
     * down longer find its next records gone, and go on past the gap without a word.
     */
    private void checkRetention(Wanted topic, Config config) {
        long retentionMs = longValue(config.get(TopicConfig.RETENTION_MS_CONFIG), -1);
        long retentionBytes = longValue(config.get(TopicConfig.RETENTION_BYTES_CONFIG), -1);
        long wantedMs = layout.retentionMs();
        String wanted = layout.retention().map(Durations::format).orElse("forever");
        if (retentionMs >= 0 && (wantedMs < 0 || retentionMs < wantedMs)) {
            throw new IllegalStateException("topic " + topic.name() + " keeps records for " + Durations.format(Duration.ofMillis(retentionMs))
                    + " (retention.ms=" + retentionMs + ") but " + RETENTION_SETTING + " is " + wanted + ": a stage down for longer"
                    + " would find its next records deleted. Set retention.ms=" + wantedMs + " on it, or set " + RETENTION_SETTING
                    + " to what the topic keeps");
        }
        if (retentionBytes >= 0) {
            throw new IllegalStateException("topic " + topic.name() + " deletes records by size (retention.bytes=" + retentionBytes
                    + "): a stage that falls behind would find its next records deleted. Set retention.bytes=-1 on it");
        }
    }

    private static long longValue(ConfigEntry entry, long absent) {
        return entry == null || entry.value() == null ? absent : Long.parseLong(entry.value());
    }

    /**
     * A topic another stage has just created can be listed before every broker knows it: its configs are then
     * unknown for a moment, so that answer is retried for a few seconds.
     */
    private Map<ConfigResource, Config> describeConfigs(Map<ConfigResource, Wanted> resources) throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                return admin.describeConfigs(resources.keySet()).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read topic configs: " + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    private interface AdminCall<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T call(AdminCall<T> call, String what) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
