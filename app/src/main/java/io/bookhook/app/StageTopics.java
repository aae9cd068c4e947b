package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.schemas.TopicNames;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every stage does before it starts: create bookhook's topics when missing (partitions and replication
 * factor from settings), or stop with one line when one exists with a cleanup policy that would lose data.
 * Every stage does it, so whichever starts first on a new cluster finds its topics in place. The settings are read
 * by {@link #of}, before any check of the stage runs; the topics are created by {@link #ensure()}, after them all.
 */
final class StageTopics {

    private final TopicProvisioner.Layout layout;
    private final TopicNames topics;
    private final TableMapping mapping;
    private final Map<String, String> kafkaClient;

    private StageTopics(BookhookSettings settings) {
        this.layout = settings.topicLayout();
        this.topics = settings.topics();
        this.mapping = settings.tableMapping();
        this.kafkaClient = settings.env().kafkaClient();
    }

    /** Reads every setting the topics need; a bad one stops the stage at once, naming it, before Kafka is contacted. */
    static StageTopics of(BookhookSettings settings) {
        return new StageTopics(settings);
    }

    static void ensure(BookhookSettings settings) throws InterruptedException {
        of(settings).ensure();
    }

    /** Creates the missing topics and checks the others; a topic that would lose data stops the stage (a preflight failure). */
    void ensure() throws InterruptedException {
        try (Admin admin = Admin.create(new HashMap<>(kafkaClient))) {
            new TopicProvisioner(admin, layout).ensure(topics, mapping);
        } catch (IllegalStateException e) {
            throw new PreflightException(e.getMessage(), e);
        }
    }
}
