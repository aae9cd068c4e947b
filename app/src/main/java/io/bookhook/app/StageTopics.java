package io.bookhook.app;

import java.util.HashMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every stage does before it starts: create bookhook's topics when missing (partitions and replication
 * factor from settings), or stop with one line when one exists with a cleanup policy that would lose data.
 * Every stage does it, so whichever starts first on a new cluster finds its topics in place.
 */
final class StageTopics {

    private StageTopics() {
    }

    static void ensure(BookhookSettings settings) throws InterruptedException {
        // Every setting is read before Kafka is contacted, so a bad one stops the stage at once, naming it.
        TopicProvisioner.Layout layout = settings.topicLayout();
        var topics = settings.topics();
        var mapping = settings.tableMapping();
        try (Admin admin = Admin.create(new HashMap<>(settings.env().kafkaClient()))) {
            new TopicProvisioner(admin, layout).ensure(topics, mapping);
        }
    }
}
