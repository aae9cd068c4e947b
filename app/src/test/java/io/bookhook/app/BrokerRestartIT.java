package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md item 8: the broker stopped mid-stream while the booking app keeps writing, then started again. The whole pipeline runs on a broker of its own (the shared one serves other tests). Nothing is lost,
 * and no event is derived twice.
 */
class BrokerRestartIT {

    private static final int BEFORE = 40;
    private static final int DURING = 40;
    private static final int APPOINTMENTS = 120;

    @TempDir
    Path brokerDir;

    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private EmbeddedKafka kafka;
    private EmbeddedStack stack;
    private String database;
    private String jdbcUrl;
    private Map<String, String> environment;

    @BeforeEach
    void receiverBrokerAndDatabase() throws Exception {
        kafka = EmbeddedKafka.start(brokerDir);
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("broker_restart");
        jdbcUrl = stack.postgres().createReferenceDatabase(database);
        environment = TestEnvironments.pipeline(stack, database, receiver.url().toString(), "restart-secret");
        environment.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }

    @AfterEach
    void stopAll() {
        receiver.close();
        kafka.close();
    }

    @Test
    void a_broker_stopped_mid_stream_and_started_again_loses_nothing_and_derives_nothing_twice() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-456')",
                    "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                    "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");
            bookAppointments(1, BEFORE);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.posts().size() >= BEFORE / 2);

            kafka.stop();
            bookAppointments(BEFORE + 1, BEFORE + DURING); // the app goes on writing while Kafka is gone
            String walAfterOutageWrites = query("SELECT pg_current_wal_lsn()::text");
            assertThat(query("SELECT (confirmed_flush_lsn < '" + walAfterOutageWrites + "'::pg_lsn)::text FROM pg_replication_slots"
                    + " WHERE slot_name = '" + settings.capture().slotName() + "'"))
                    .as("capture cannot confirm what it could not hand to Kafka").isEqualTo("true");
            kafka.restart();
            bookAppointments(BEFORE + DURING + 1, APPOINTMENTS);

            await().atMost(Duration.ofSeconds(120)).until(() -> receiver.keys().size() == APPOINTMENTS);
            Set<String> expected = new HashSet<>();
            for (int id = 1; id <= APPOINTMENTS; id++) {
                expected.add("appointment:" + id + ":created");
            }
            List<ConsumerRecord<String, byte[]>> events = TopicReader.readAtLeast(kafka.bootstrapServers(), settings.topics().appointmentEvents(),
                    APPOINTMENTS, new StringDeserializer(), new ByteArrayDeserializer(), Duration.ofSeconds(30));
            long lost = expected.stream().filter(key -> !receiver.keys().contains(key)).count();
            long derivedTwice = events.size() - events.stream().map(ConsumerRecord::key).distinct().count();
            long postedTwice = receiver.posts().size() - receiver.keys().size();
            System.out.printf("broker restarted mid-stream: lost=%d, events derived twice=%d, posted twice=%d (bounds 0, 0, 0)%n",
                    lost, derivedTwice, postedTwice);
            assertThat(receiver.keys()).isEqualTo(expected);
            assertThat(derivedTwice).as("exactly-once derive").isZero();
            assertThat(postedTwice).as("no delivery posted again").isZero();
            assertThat(pipeline.sink().stopped()).as("the sink rode it out").isNotDone();
        }
    }

    /** One appointment per transaction, as the booking app books them. */
    private void bookAppointments(int from, int to) {
        for (int i = from; i <= to; i++) {
            execute("INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at) "
                    + "VALUES (1, 1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00')");
        }
    }

    private String query(String sql) {
        return stack.postgres().queryOne(database, sql);
    }

    private void execute(String... statements) {
        stack.postgres().execute(database, statements);
    }
}
