package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.TopicNames;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What capture does with a change Kafka refuses, without a broker: the producer here refuses through the send's future,
 * as KafkaProducer does. That capture then keeps streaming on the real stack is {@link OversizedChangeIT}'s claim.
 */
class KafkaChangePublisherTest {

    private static final TopicNames TOPICS = TopicNames.prefixed("unit");
    private static final String TABLE = "appointments_appointment";
    private static final int LIMIT = 1_048_576;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final RecordingCommitter committer = new RecordingCommitter();

    @Test
    void a_change_kafka_refuses_as_too_large_is_dead_lettered_by_key_with_its_reason_and_the_whole_batch_is_marked_processed()
            throws Exception {
        RefusingProducer producer = new RefusingProducer(record -> record.value() != null && record.value().length > LIMIT
                ? new RecordTooLargeException("The message is " + record.value().length + " bytes when serialized which is larger than "
                        + LIMIT + ", which is the value of the max.request.size configuration.")
                : null);
        KafkaChangePublisher publisher = new KafkaChangePublisher(producer, TOPICS, Set.of(TABLE), LIMIT, metrics);
        ChangeEvent<String, String> big = change("{\"id\":1}", appointment(1, "x".repeat(2 * 1024 * 1024), 23_456_789L));
        ChangeEvent<String, String> ordinary = change("{\"id\":2}", appointment(2, "window seat", 23_456_999L));

        publisher.handleBatch(List.of(big, ordinary), committer);

        List<ProducerRecord<byte[], byte[]>> written = producer.history();
        assertThat(written).extracting(ProducerRecord::topic).containsExactly(TOPICS.cdcTopic(TABLE), TOPICS.deadLetter());
        assertThat(text(written.get(0).key())).isEqualTo("{\"id\":2}");
        ProducerRecord<byte[], byte[]> letter = written.get(1);
        assertThat(text(letter.key())).isEqualTo("{\"id\":1}");
        assertThat(letter.value()).as("the value Kafka refused is not sent again").isNull();
        long bigBytes = big.key().length() + big.value().length();
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(
                "change of " + String.format(java.util.Locale.ROOT, "%,d", bigBytes) + " bytes is over the 1,048,576-byte limit"
                        + " (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES)");
        assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("capture");
        assertThat(header(letter, DeadLetterHeaders.TABLE)).isEqualTo(TABLE);
        assertThat(header(letter, DeadLetterHeaders.SOURCE_LSN)).isEqualTo("23456789");

        assertThat(committer.processed).containsExactly(big, ordinary);
        assertThat(committer.batchFinished).isTrue();
        assertThat(metrics.get("bookhook.dead.letters").tags("stage", "capture", "reason", "too_large").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get("bookhook.capture.changes").tag("table", TABLE).counter().count()).isEqualTo(1.0);
    }

    @Test
    void a_change_the_broker_refuses_as_too_large_under_bookhooks_limit_says_so_and_names_the_topic_setting_to_check()
            throws Exception {
        RefusingProducer producer = new RefusingProducer(record -> record.topic().equals(TOPICS.cdcTopic(TABLE))
                ? new RecordTooLargeException("The request included a message larger than the max message size the server will accept.")
                : null);
        KafkaChangePublisher publisher = new KafkaChangePublisher(producer, TOPICS, Set.of(TABLE), LIMIT, metrics);

        publisher.handleBatch(List.of(change("{\"id\":7}", appointment(7, "short", 1L))), committer);

        ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
        assertThat(letter.topic()).isEqualTo(TOPICS.deadLetter());
        assertThat(header(letter, DeadLetterHeaders.REASON))
                .matches("change of [0-9,]+ bytes was refused by Kafka as too large \\(BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES is 1,048,576;"
                        + " check the topic's max.message.bytes\\): The request included a message larger than .*");
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void any_other_refusal_stops_capture_without_marking_anything_so_the_batch_is_read_again() {
        RefusingProducer producer = new RefusingProducer(record -> new NotEnoughReplicasException("not enough in-sync replicas"));
        KafkaChangePublisher publisher = new KafkaChangePublisher(producer, TOPICS, Set.of(TABLE), LIMIT, metrics);

        assertThatThrownBy(() -> publisher.handleBatch(List.of(change("{\"id\":1}", appointment(1, "", 1L))), committer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not enough in-sync replicas");
        assertThat(producer.history()).isEmpty();
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void a_dead_letter_kafka_does_not_take_stops_capture_rather_than_losing_the_change() {
        RefusingProducer producer = new RefusingProducer(record -> record.topic().equals(TOPICS.deadLetter())
                ? new NotEnoughReplicasException("dead-letter topic unavailable")
                : new RecordTooLargeException("too large"));
        KafkaChangePublisher publisher = new KafkaChangePublisher(producer, TOPICS, Set.of(TABLE), LIMIT, metrics);

        assertThatThrownBy(() -> publisher.handleBatch(List.of(change("{\"id\":1}", appointment(1, "", 1L))), committer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dead-letter topic unavailable");
        assertThat(committer.processed).isEmpty();
    }

    @Test
    void once_stopping_a_batch_is_neither_published_nor_marked_so_the_next_start_publishes_it_once() throws Exception {
        RefusingProducer producer = new RefusingProducer(record -> null);
        KafkaChangePublisher publisher = new KafkaChangePublisher(producer, TOPICS, Set.of(TABLE), LIMIT, metrics);
        publisher.handleBatch(List.of(change("{\"id\":1}", appointment(1, "before", 1L))), committer);

        publisher.stopPublishing();
        ChangeEvent<String, String> late = change("{\"id\":2}", appointment(2, "after", 2L));
        publisher.handleBatch(List.of(late), committer);

        assertThat(producer.history()).hasSize(1);
        assertThat(committer.processed).doesNotContain(late);
    }

    @Test
    void stopping_waits_for_the_batch_being_published_to_be_acknowledged_and_marked() throws Exception {
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<RecordMetadata> ack = new java.util.concurrent.CompletableFuture<>();
        MockProducer<byte[], byte[]> slowBroker = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                sending.countDown();
                return ack;
            }
        };
        KafkaChangePublisher publisher = new KafkaChangePublisher(slowBroker, TOPICS, Set.of(TABLE), LIMIT, metrics);
        ChangeEvent<String, String> inFlight = change("{\"id\":3}", appointment(3, "in flight", 3L));
        Thread handler = new Thread(() -> {
            try {
                publisher.handleBatch(List.of(inFlight), committer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        handler.start();
        assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        java.util.concurrent.CompletableFuture<Boolean> markedWhenStopped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            publisher.stopPublishing();
            return committer.batchFinished;
        });
        ack.complete(new RecordMetadata(new org.apache.kafka.common.TopicPartition(TOPICS.cdcTopic(TABLE), 0), 0, 0, 0, 0, 0));

        assertThat(markedWhenStopped).as("the batch was marked by the time stopping returned")
                .succeedsWithin(java.time.Duration.ofSeconds(10)).isEqualTo(true);
        handler.join(10_000);
        assertThat(committer.processed).containsExactly(inFlight);
        assertThat(committer.batchFinished).isTrue();
    }

    private static String appointment(long id, String notes, long lsn) {
        return "{\"before\":null,\"after\":{\"id\":" + id + ",\"status\":\"pending\",\"notes\":\"" + notes + "\"},"
                + "\"source\":{\"table\":\"" + TABLE + "\",\"lsn\":" + lsn + ",\"ts_ms\":1},\"op\":\"c\",\"ts_ms\":2}";
    }

    private static ChangeEvent<String, String> change(String key, String value) {
        return new ChangeEvent<>() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public String value() {
                return value;
            }

            @Override
            public String destination() {
                return DebeziumProperties.TOPIC_PREFIX + ".public." + TABLE;
            }

            @Override
            public Integer partition() {
                return null;
            }
        };
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null : text(record.headers().lastHeader(name).value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A producer that refuses what {@code refusal} names the way KafkaProducer does (a failed future and callback, not
     * a throw from send) and acknowledges the rest.
     */
    private static final class RefusingProducer extends MockProducer<byte[], byte[]> {
        private final Function<ProducerRecord<byte[], byte[]>, RuntimeException> refusal;

        RefusingProducer(Function<ProducerRecord<byte[], byte[]>, RuntimeException> refusal) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.refusal = refusal;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RuntimeException refused = refusal.apply(record);
            if (refused == null) {
                return super.send(record, callback);
            }
            if (callback != null) {
                callback.onCompletion(null, refused);
            }
            return CompletableFuture.failedFuture(refused);
        }
    }

    private static final class RecordingCommitter implements DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> {
        final List<ChangeEvent<String, String>> processed = new ArrayList<>();
        boolean batchFinished;

        @Override
        public void markProcessed(ChangeEvent<String, String> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(ChangeEvent<String, String> record, DebeziumEngine.Offsets offsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
