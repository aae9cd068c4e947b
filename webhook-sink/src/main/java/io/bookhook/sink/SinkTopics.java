package io.bookhook.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the sink checks of its topics before it starts: the events, requests and delivery index topics exist and have
 * the same number of partitions, because an appointment's requests and index entries live on the partition number of
 * its events, and the sink that owns that partition is the one that delivers the appointment; and the endpoint control
 * and status topics exist.
 */
final class SinkTopics {

    private SinkTopics() {
    }

    /** Returns the delivery index topic's id, which names the local store (a recreated topic gets a fresh one). */
    static String check(SinkSettings settings) throws InterruptedException {
        List<String> names = List.of(settings.topics().appointmentEvents(), settings.topics().deliveryRequests(),
                settings.topics().deliveryIndex(), settings.topics().endpointControl(), settings.topics().endpointStatus());
        Map<String, TopicDescription> topics;
        try (Admin admin = Admin.create(new HashMap<>(settings.kafkaClient()))) {
            topics = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("the sink needs topics " + String.join(", ", names) + "; one of them does not exist: "
                        + e.getCause().getMessage());
            }
            throw new IllegalStateException("cannot describe the sink's topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe the sink's topics " + names + " within 60 s (is Kafka reachable?)", e);
        }
        int events = topics.get(names.get(0)).partitions().size();
        for (String name : names.subList(1, 3)) {
            int partitions = topics.get(name).partitions().size();
            if (partitions != events) {
                throw new IllegalStateException("topic " + name + " has " + partitions + " partitions but " + names.get(0) + " has " + events
                        + ": the sink needs them equal (an appointment's requests and index entries share its events' partition)");
            }
        }
        return topics.get(settings.topics().deliveryIndex()).topicId().toString();
    }
}
