package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates bookhook's topics when they are missing. The ledger and the related-row change topics are compacted
 * (the latest record per key is the state); the appointment change and event topics are not, because every
 * change of them matters.
 */
final class TopicProvisioner {

    private final Admin admin;
    private final int partitions;

    TopicProvisioner(Admin admin, int partitions) {
        this.admin = admin;
        this.partitions = partitions;
    }

    void ensure(TopicNames topics, TableMapping mapping) throws InterruptedException {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, String> kept = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(topic(topics.cdcTopic(mapping.appointmentTable()), kept));
        for (TableMapping.Relation relation : mapping.relations()) {
            wanted.add(topic(topics.cdcTopic(relation.table()), compacted));
        }
        wanted.add(topic(topics.appointmentEvents(), kept));
        wanted.add(topic(topics.deliveryLedger(), compacted));
        wanted.add(topic(topics.deadLetter(), kept));
        wanted.add(topic(topics.deliveryRequests(), kept));
        for (NewTopic topic : wanted) {
            try {
                admin.createTopics(List.of(topic)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    private NewTopic topic(String name, Map<String, String> configs) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
