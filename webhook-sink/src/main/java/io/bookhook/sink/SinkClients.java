package io.bookhook.sink;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's Kafka clients: the events consumer in its group, the requests reader, the index-restore and
 * endpoint-control consumers (assigned, no group), and the transactional producer. Opened together, closed together
 * in the order a graceful stop needs.
 */
final class SinkClients {

    private static final Logger LOG = LoggerFactory.getLogger(SinkClients.class);

    final Consumer<String, byte[]> events;
    final RequestReader requests;
    final Consumer<String, byte[]> restore;
    final EndpointControlReader controls;
    final Producer<String, byte[]> producer;
    final SinkTransactions transactions;

    private SinkClients(SinkSettings settings) {
        this.events = new KafkaConsumer<>(SinkKafkaClients.consumer(settings));
        this.requests = new RequestReader(new KafkaConsumer<>(SinkKafkaClients.requests(settings)), settings.topics().deliveryRequests());
        this.restore = new KafkaConsumer<>(SinkKafkaClients.assigned(settings, "index-restore"));
        this.controls = new EndpointControlReader(new KafkaConsumer<>(SinkKafkaClients.assigned(settings, "endpoint-control")),
                settings.topics().endpointControl());
        this.producer = new KafkaProducer<>(SinkKafkaClients.producer(settings));
        this.transactions = new SinkTransactions(producer);
    }

    static SinkClients open(SinkSettings settings) {
        return new SinkClients(settings);
    }

    /**
     * Leaves the group first (static members do not by themselves), within {@code patience}, which lets the partitions
     * go through the rebalance listener; then the rest. {@code restorer}, when the loop made one, owns the restore consumer.
     */
    void close(Duration patience, IndexRestorer restorer) {
        try {
            events.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(patience));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer failed: {}", e.toString());
        }
        requests.close();
        controls.close();
        if (restorer != null) {
            restorer.close();
        } else {
            restore.close(Duration.ofSeconds(2));
        }
        transactions.close();
    }
}
