package io.bookhook.ledger;

import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view on the real broker: catch-up, following, transactions and bad records. */
class LedgerViewIT {

    private final BrokerFixture broker = new BrokerFixture();

    @Test
    void should_catch_up_with_the_ledger_and_keep_following_it() {
        broker.writeLedger(failed("d1", "42", EventType.CREATED), failed("d2", "43", EventType.CREATED));
        broker.writeLedger(delivered("d1", "42", EventType.CREATED));

        try (LedgerView view = LedgerView.start(broker.client(), broker.topics.deliveryLedger())) {
            view.awaitCaughtUp(Duration.ofSeconds(15));
            assertThat(view.isCaughtUp()).isTrue();
            assertThat(view.index().byDeliveryId("d1")).get().extracting(DeliveryRecord::status).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(view.index().find(DeliveryStatus.FAILED, null, null, 100)).extracting(DeliveryRecord::deliveryId).containsExactly("d2");

            broker.writeLedger(delivered("d2", "43", EventType.CREATED), failed("d3", "44", EventType.CONFIRMED));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(view.index().count(DeliveryStatus.DELIVERED)).isEqualTo(2);
                assertThat(view.index().byAppointment("44")).extracting(DeliveryRecord::deliveryId).containsExactly("d3");
            });
        }
    }

    @Test
    void should_ignore_aborted_transactions_and_skip_unreadable_records() throws Exception {
        broker.writeLedger(failed("d1", "42", EventType.CREATED));
        try (KafkaProducer<String, DeliveryRecord> sink = broker.transactionalProducer()) {
            sink.initTransactions();
            sink.beginTransaction();
            sink.send(new ProducerRecord<>(broker.topics.deliveryLedger(), "d1", delivered("d1", "42", EventType.CREATED))).get();
            sink.abortTransaction();
        }
        Map<String, Object> config = new HashMap<>(broker.client());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(broker.topics.deliveryLedger(), "junk", "not json".getBytes())).get();
            raw.send(new ProducerRecord<>(broker.topics.deliveryLedger(), "no-fields", "{}".getBytes())).get();
        }
        broker.writeLedger(failed("d2", "43", EventType.CREATED));

        try (LedgerView view = LedgerView.start(broker.client(), broker.topics.deliveryLedger())) {
            view.awaitCaughtUp(Duration.ofSeconds(15));
            assertThat(view.index().byDeliveryId("d1")).get().extracting(DeliveryRecord::status).isEqualTo(DeliveryStatus.FAILED);
            assertThat(view.index().byDeliveryId("d2")).isPresent();
            assertThat(view.index().byDeliveryId("junk")).isEmpty();
            assertThat(view.unreadableRecords()).isEqualTo(2);
            assertThat(view.index().size()).isEqualTo(2);
        }
    }

    @Test
    void keeps_its_copy_of_the_ledger_on_disk_in_a_directory_of_its_own_and_deletes_it_on_close(@TempDir Path state) {
        broker.writeLedger(failed("d1", "42", EventType.CREATED), delivered("d2", "43", EventType.CREATED));
        Path parent = state.resolve("ledger-view");
        Path directory;
        try (LedgerView view = LedgerView.start(broker.client(), broker.topics.deliveryLedger(), parent)) {
            view.awaitCaughtUp(Duration.ofSeconds(15));
            directory = view.index().directory();
            assertThat(directory).startsWith(parent).isDirectory();
            assertThat(view.index().page(null, null, null, null, 1)).satisfies(page -> {
                assertThat(page.deliveries()).hasSize(1);
                assertThat(page.total()).isEqualTo(2);
                assertThat(page.next()).isNotNull();
            });
        }
        assertThat(directory).doesNotExist();
        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void a_view_whose_consumer_cannot_be_made_leaves_no_directory_behind(@TempDir Path state) {
        Path parent = state.resolve("ledger-view");

        assertThatThrownBy(() -> LedgerView.start(Map.of("bootstrap.servers", "no-port-here"), broker.topics.deliveryLedger(), parent))
                .isInstanceOf(KafkaException.class).rootCause().hasMessageContaining("no-port-here");

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void should_say_which_broker_did_not_answer_within_the_timeout() {
        String nobody = "127.0.0.1:" + closedPort();
        long start = System.nanoTime();
        try (LedgerView view = LedgerView.start(Map.of("bootstrap.servers", nobody), broker.topics.deliveryLedger())) {
            assertThatThrownBy(() -> view.awaitCaughtUp(Duration.ofSeconds(3)))
                    .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith("Kafka at " + nobody + " did not answer within 3 s");
            assertThat(view.isCaughtUp()).isFalse();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    /** A port nothing listens on: bound once, then released. */
    static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
