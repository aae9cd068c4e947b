package io.bookhook.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.EmbeddedPostgres;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.ReferenceSchema;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md item 3: the WAL sender serving capture's slot is terminated ({@code pg_terminate_backend}, as a DBA or
 * a failover would) while the app keeps writing. Capture reconnects by itself and nothing is lost.
 */
class WalSenderTerminatedIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final int BEFORE = 20;
    private static final int AFTER = 20;

    private final EmbeddedStack stack = SharedEmbeddedStack.get();
    private final String database = SharedEmbeddedStack.uniqueName("walsender");
    private final String jdbcUrl = stack.postgres().createDatabase(database);
    private final TopicNames topics = TopicNames.prefixed(database);

    @Test
    void capture_resumes_by_itself_after_its_wal_sender_is_terminated_and_every_row_arrives() throws Exception {
        ReferenceSchema.apply(jdbcUrl, stack.postgres().user(), stack.postgres().password());
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 1);
        try (CaptureEngine capture = CaptureEngine.start(settings())) {
            capture.awaitReady(Duration.ofSeconds(60));
            insertCustomers(1, BEFORE);
            int walSender = activeWalSender();

            assertThat(query("SELECT pg_terminate_backend(" + walSender + ")")).isEqualTo("t");
            insertCustomers(BEFORE + 1, BEFORE + AFTER);

            await().atMost(Duration.ofSeconds(90)).until(() -> customerNames().size() == BEFORE + AFTER);
            Set<String> expected = new TreeSet<>();
            for (int i = 1; i <= BEFORE + AFTER; i++) {
                expected.add("customer " + i);
            }
            assertThat(customerNames()).as("lost: none").isEqualTo(expected);
            assertThat(capture.stopped()).as("capture kept running").isNotDone();
            await().atMost(Duration.ofSeconds(60)).until(() -> activeWalSender() != walSender);
        }
    }

    private CaptureSettings settings() {
        EmbeddedPostgres pg = stack.postgres();
        return new CaptureSettings(new PostgresConnection(pg.host(), pg.port(), database, pg.user(), pg.password()), "public",
                MAPPING.capturedTables(), List.of(), "bookhook_heartbeat", database, database, database, database + ".offsets",
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics, Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    /** Distinct names on the customer topic (a change read again after the reconnect counts once: at-least-once). */
    private Set<String> customerNames() {
        Set<String> names = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                topics.cdcTopic(MAPPING.customerTable()), 0, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Duration.ZERO)) {
            try {
                names.add(Json.mapper().readTree(record.value()).at("/after/name").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private int activeWalSender() {
        String pid = query("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + database + "' AND active");
        return pid == null ? -1 : Integer.parseInt(pid);
    }

    private void insertCustomers(int from, int to) {
        for (int i = from; i <= to; i++) {
            stack.postgres().execute(database, "INSERT INTO appointments_customer (name, phone, email) VALUES ('customer " + i
                    + "', '0912-345-" + String.format("%04d", i) + "', 'c" + i + "@example.com')");
        }
    }

    private String query(String sql) {
        return stack.postgres().queryOne(database, sql);
    }
}
