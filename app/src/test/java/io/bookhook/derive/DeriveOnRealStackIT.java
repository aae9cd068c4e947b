package io.bookhook.derive;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureSettings;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Capture and derive together on the real stack, playing a booking app that writes with plain SQL. */
class DeriveOnRealStackIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();

    private EmbeddedStack stack;
    private String name;
    private String jdbcUrl;
    private TopicNames topics;

    @BeforeEach
    void freshDatabaseAndTopics() {
        stack = SharedEmbeddedStack.get();
        name = SharedEmbeddedStack.uniqueName("derive");
        jdbcUrl = stack.postgres().createReferenceDatabase(name);
        topics = TopicNames.prefixed(name);
        stack.kafka().createTopics(MAPPING.capturedTables().stream().map(topics::cdcTopic).toList(), 2);
        stack.kafka().createTopic(topics.appointmentEvents(), 2, Map.of());
        stack.kafka().createTopic(topics.deadLetter(), 1, Map.of());
    }

    @Test
    void a_booking_transaction_derives_created_with_its_customer_a_confirm_derives_confirmed_and_a_new_snapshot_derives_nothing()
            throws Exception {
        execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-456')",
                "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)");
        try (DeriveStreams derive = DeriveStreams.start(deriveSettings())) {
            try (CaptureEngine capture = CaptureEngine.start(captureSettings(name))) {
                capture.awaitReady(Duration.ofSeconds(60));
                execute("BEGIN",
                        "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')",
                        "INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at) "
                                + "VALUES (currval('appointments_customer_id_seq'), 1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00')",
                        "COMMIT");

                List<ConsumerRecord<String, AppointmentEvent>> created = readEvents(1);
                assertThat(created).extracting(ConsumerRecord::key).containsExactly("appointment:1:created");
                AppointmentEvent event = created.get(0).value();
                assertThat(event.customer().get("name").asText()).isEqualTo("Mei");
                assertThat(event.customer().get("phone").asText()).isEqualTo("0912***4567");
                assertThat(event.stylist().get("phone").asText()).isEqualTo("0955***3456");
                assertThat(event.service().get("price").asText()).isEqualTo("42.00");
                assertThat(event.appointment().get("starts_at").asText()).isEqualTo("2026-12-03T14:00:00.000000Z");
                assertThat(event.missing()).isEmpty();

                execute("UPDATE appointments_appointment SET status = 'confirmed' WHERE id = 1");
                assertThat(readEvents(2)).extracting(ConsumerRecord::key)
                        .containsExactly("appointment:1:created", "appointment:1:confirmed");
            }

            // A capture run from scratch (new slot, no offsets) snapshots every row again: that must derive nothing.
            String rerun = name + "_rerun";
            try (CaptureEngine capture = CaptureEngine.start(captureSettings(rerun))) {
                capture.awaitReady(Duration.ofSeconds(60));
                execute("INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at) "
                        + "VALUES (1, 1, 1, 1, '2026-12-04 10:00+00', '2026-12-04 10:45+00')");
                assertThat(readEvents(3)).extracting(ConsumerRecord::key)
                        .containsExactly("appointment:1:created", "appointment:1:confirmed", "appointment:2:created");
            }
        }
    }

    private CaptureSettings captureSettings(String slot) {
        return new CaptureSettings(new PostgresConnection(stack.postgres().host(), stack.postgres().port(), name,
                stack.postgres().user(), stack.postgres().password()), "public", MAPPING.capturedTables(), List.of(),
                "bookhook_heartbeat", slot, slot, slot, slot + ".offsets", Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                topics, Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    private DeriveSettings deriveSettings() {
        return new DeriveSettings(name, Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), topics, MAPPING,
                Duration.ofSeconds(10), Duration.ofMillis(100), stack.workDir().resolve(name), Duration.ZERO);
    }

    private void execute(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Every event so far, in the order derive wrote them, each checked against the JSON Schema. */
    private List<ConsumerRecord<String, AppointmentEvent>> readEvents(int count) {
        List<ConsumerRecord<String, AppointmentEvent>> records = new ArrayList<>(TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                topics.appointmentEvents(), count, new StringDeserializer(), JsonSerde.of(AppointmentEvent.class).deserializer(),
                Duration.ofSeconds(60)));
        records.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        for (ConsumerRecord<String, AppointmentEvent> record : records) {
            assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(Json.mapper().valueToTree(record.value()))).as(record.key()).isEmpty();
        }
        return records;
    }
}
