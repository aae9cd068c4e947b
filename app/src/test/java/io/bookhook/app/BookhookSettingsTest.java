package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.capture.SchemaRequirement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BookhookSettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("BOOKHOOK_POSTGRES_HOST", "db");
        env.put("BOOKHOOK_POSTGRES_DB", "booking");
        env.put("BOOKHOOK_POSTGRES_USER", "bookhook");
        env.put("BOOKHOOK_POSTGRES_PASSWORD", "s3cr3t-pw");
        return env;
    }

    @Test
    void defaults_follow_the_reference_schema_and_the_contract_topics() {
        BookhookSettings settings = new BookhookSettings(complete());

        assertThat(settings.capture().tables()).containsExactly("appointments_appointment", "appointments_customer",
                "appointments_salon", "appointments_stylist", "appointments_service");
        assertThat(settings.capture().postgres().port()).isEqualTo(5432);
        assertThat(settings.topics().appointmentEvents()).isEqualTo("bookhook.appointment-events");
        assertThat(settings.derive().relatedRowGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void kafka_client_properties_pass_through_by_name() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("BOOKHOOK_KAFKA_SASL_MECHANISM", "PLAIN");

        assertThat(new BookhookSettings(env).capture().kafkaClient())
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void a_missing_setting_is_named() {
        Map<String, String> env = complete();
        env.remove("BOOKHOOK_POSTGRES_HOST");
        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_POSTGRES_HOST is not set");

        env.put("BOOKHOOK_POSTGRES_HOST", "db");
        env.remove("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> new BookhookSettings(env).derive()).hasMessage("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS is not set");
    }

    @Test
    void a_malformed_setting_is_named_with_what_was_expected() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_POSTGRES_PORT", "five");
        assertThatThrownBy(() -> new BookhookSettings(env).capture())
                .hasMessage("BOOKHOOK_POSTGRES_PORT must be a whole number, got 'five'");

        env.put("BOOKHOOK_POSTGRES_PORT", "70000");
        assertThatThrownBy(() -> new BookhookSettings(env).capture())
                .hasMessage("BOOKHOOK_POSTGRES_PORT must be between 1 and 65535, got 70000");

        env.put("BOOKHOOK_POSTGRES_PORT", "5432");
        env.put("BOOKHOOK_RELATED_ROW_GRACE", "ten seconds");
        assertThatThrownBy(() -> new BookhookSettings(env).derive())
                .hasMessage("BOOKHOOK_RELATED_ROW_GRACE must be a duration like 250ms, 10s, 5m, 1h or 30d, got 'ten seconds'");
    }

    @Test
    void the_max_message_size_is_kafkas_default_unless_set_and_is_the_max_request_size_of_every_stage_that_produces() {
        BookhookSettings defaults = new BookhookSettings(withWebhook(complete()));
        assertThat(defaults.capture().maxMessageBytes()).isEqualTo(1_048_576);
        assertThat(defaults.derive().kafkaClient()).containsEntry("max.request.size", "1048576");
        assertThat(defaults.sink().kafkaClient()).as("the sink writes ledger and index records of those events")
                .containsEntry("max.request.size", "1048576");

        Map<String, String> env = withWebhook(complete());
        env.put("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES", "4194304");
        BookhookSettings settings = new BookhookSettings(env);
        assertThat(settings.capture().maxMessageBytes()).isEqualTo(4_194_304);
        assertThat(settings.capture().kafkaClient()).as("bookhook's setting, not a client property").doesNotContainKey("max.message.bytes");
        assertThat(settings.derive().kafkaClient()).containsEntry("max.request.size", "4194304").doesNotContainKey("max.message.bytes");
        assertThat(settings.sink().kafkaClient()).containsEntry("max.request.size", "4194304");
    }

    private static Map<String, String> withWebhook(Map<String, String> env) {
        env.put("MAKE_WEBHOOK_URL", "https://hook.eu1.make.com/abc123");
        env.put("MAKE_WEBHOOK_SECRET", "make-secret");
        return env;
    }

    @Test
    void a_malformed_max_message_size_or_kafkas_own_max_request_size_stops_the_stage_naming_the_variable() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES", "1MB");
        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES must be a whole number, got '1MB'");

        env.put("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES", "4096");
        assertThatThrownBy(() -> new BookhookSettings(env).derive()).as("derive keeps 32 KiB of it for the sink's records")
                .isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES must be between 65536 and 2147483647, got 4096");

        env.remove("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES");
        env.put("BOOKHOOK_KAFKA_MAX_REQUEST_SIZE", "4194304");
        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_KAFKA_MAX_REQUEST_SIZE is set: set BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES instead"
                        + " (capture, derive and the sink apply it as max.request.size)");
    }

    @Test
    void the_postgres_password_never_shows_in_the_connection_description() {
        assertThat(new BookhookSettings(complete()).postgres().toString()).isEqualTo("bookhook@db:5432/booking")
                .doesNotContain("s3cr3t-pw");
    }

    @Test
    void a_mapped_column_becomes_a_start_check_that_names_its_setting() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_TABLE_APPOINTMENT", "bookings");
        env.put("BOOKHOOK_COLUMN_STATUS", "state");
        env.put("BOOKHOOK_STATUS_CONFIRMED", "approved");

        BookhookSettings settings = new BookhookSettings(env);
        assertThat(settings.capture().requirements())
                .contains(SchemaRequirement.table("bookings", "BOOKHOOK_TABLE_APPOINTMENT"))
                .contains(SchemaRequirement.column("bookings", "state", "BOOKHOOK_COLUMN_STATUS"));
        assertThat(settings.capture().tables()).first().isEqualTo("bookings");
        assertThat(settings.derive().mapping().confirmedStatus()).isEqualTo("approved");
    }

    @Test
    void id_and_phone_columns_can_be_named_per_table_with_the_global_names_as_defaults() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_TABLE_CUSTOMER", "client");
        env.put("BOOKHOOK_TABLE_SALON", "shop");
        env.put("BOOKHOOK_COLUMN_ID", "uid");
        env.put("BOOKHOOK_COLUMN_ID_APPOINTMENT", "booking_no");
        env.put("BOOKHOOK_COLUMN_PHONE", "phone_number");
        env.put("BOOKHOOK_COLUMN_PHONE_CUSTOMER", "mobile");
        env.put("BOOKHOOK_COLUMN_PHONE_SALON", "tel");

        BookhookSettings settings = new BookhookSettings(env);
        var mapping = settings.derive().mapping();
        assertThat(mapping.appointmentIdColumn()).isEqualTo("booking_no");
        assertThat(mapping.idColumnOf("client")).as("the global default").isEqualTo("uid");
        assertThat(mapping.phoneColumnOf("client")).isEqualTo("mobile");
        assertThat(mapping.phoneColumnOf("shop")).isEqualTo("tel");
        assertThat(mapping.phoneColumnOf("appointments_stylist")).as("the global default").isEqualTo("phone_number");
        assertThat(mapping.customerIdColumn()).as("BOOKHOOK_COLUMN_CUSTOMER_ID is still the appointment's foreign key")
                .isEqualTo("customer_id");
        assertThat(settings.capture().requirements())
                .contains(SchemaRequirement.column("appointments_appointment", "booking_no", "BOOKHOOK_COLUMN_ID_APPOINTMENT"))
                .contains(SchemaRequirement.column("client", "uid", "BOOKHOOK_COLUMN_ID"))
                .contains(SchemaRequirement.column("client", "mobile", "BOOKHOOK_COLUMN_PHONE_CUSTOMER"))
                .contains(SchemaRequirement.column("shop", "tel", "BOOKHOOK_COLUMN_PHONE_SALON"))
                .as("a phone column named for all tables stays optional (a service has none)")
                .noneMatch(requirement -> "phone_number".equals(requirement.column()));
    }

    @Test
    void without_per_table_columns_the_mapping_is_the_reference_one() {
        BookhookSettings settings = new BookhookSettings(complete());
        assertThat(settings.tableMapping()).isEqualTo(io.bookhook.derive.TableMapping.referenceSchema());
        assertThat(settings.capture().requirements())
                .contains(SchemaRequirement.column("appointments_customer", "id", "BOOKHOOK_COLUMN_ID"))
                .noneMatch(requirement -> "phone".equals(requirement.column()));
    }

    @Test
    void two_parts_in_one_table_cannot_name_it_two_different_phone_columns() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_TABLE_CUSTOMER", "person");
        env.put("BOOKHOOK_TABLE_STYLIST", "person");
        env.put("BOOKHOOK_COLUMN_PHONE_CUSTOMER", "mobile");
        env.put("BOOKHOOK_COLUMN_PHONE_STYLIST", "tel");

        assertThatThrownBy(() -> new BookhookSettings(env).derive()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_COLUMN_PHONE_STYLIST names column 'tel' of table person, which BOOKHOOK_COLUMN_PHONE_CUSTOMER"
                        + " names 'mobile'");
    }

    @Test
    void topics_keep_records_for_ever_unless_a_positive_retention_is_set() {
        Map<String, String> env = complete();
        assertThat(new BookhookSettings(env).topicLayout().retention()).isEmpty();
        env.put("BOOKHOOK_TOPIC_RETENTION", "Forever");
        assertThat(new BookhookSettings(env).topicLayout().retention()).isEmpty();
        env.put("BOOKHOOK_TOPIC_RETENTION", "30d");
        assertThat(new BookhookSettings(env).topicLayout().retentionMs()).isEqualTo(Duration.ofDays(30).toMillis());
        env.put("BOOKHOOK_TOPIC_RETENTION", "0s");
        assertThatThrownBy(() -> new BookhookSettings(env).topicLayout())
                .hasMessage("BOOKHOOK_TOPIC_RETENTION must be forever or a positive duration, got '0s'");
        env.put("BOOKHOOK_TOPIC_RETENTION", "a month");
        assertThatThrownBy(() -> new BookhookSettings(env).topicLayout()).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("BOOKHOOK_TOPIC_RETENTION must be forever or a duration");
    }

    @Test
    void a_zero_heartbeat_interval_is_refused_naming_it_instead_of_turning_heartbeats_off() {
        Map<String, String> env = complete();
        env.put("BOOKHOOK_HEARTBEAT_INTERVAL", "0s");
        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_HEARTBEAT_INTERVAL must be a positive duration, got '0s'");
    }

    @Test
    void a_zero_duration_is_refused_where_zero_makes_no_sense_and_taken_where_it_means_something() {
        Map<String, String> sink = complete();
        sink.put("MAKE_WEBHOOK_URL", "https://hook.example.com/token");
        sink.put("MAKE_WEBHOOK_SECRET", "s3cret");
        for (String name : List.of("BOOKHOOK_CAPTURE_POLL_INTERVAL", "BOOKHOOK_KAFKA_CONNECT_TIMEOUT", "BOOKHOOK_CONNECT_TIMEOUT",
                "BOOKHOOK_REQUEST_TIMEOUT", "BOOKHOOK_RETRY_FIRST_INTERVAL", "BOOKHOOK_RETRY_MAX_INTERVAL", "BOOKHOOK_RETRY_AFTER_MAX",
                "BOOKHOOK_GONE_HOLD", "BOOKHOOK_CIRCUIT_PROBE_INTERVAL", "BOOKHOOK_SINK_COMMIT_INTERVAL")) {
            Map<String, String> env = new HashMap<>(sink);
            env.put(name, "0ms");
            BookhookSettings settings = new BookhookSettings(env);
            assertThatThrownBy(() -> {
                settings.capture();
                settings.kafkaConnectTimeout();
                settings.sink();
            }).as(name).isInstanceOf(SettingsException.class).hasMessage(name + " must be a positive duration, got '0ms'");
        }
        Map<String, String> env = complete();
        env.put("BOOKHOOK_RELATED_ROW_GRACE", "0s");
        env.put("BOOKHOOK_DERIVE_STATE_RETENTION", "0s");
        env.put("BOOKHOOK_DERIVE_COMMIT_INTERVAL", "0ms");
        assertThat(new BookhookSettings(env).derive()).satisfies(derive -> {
            assertThat(derive.relatedRowGrace()).as("no wait for related rows").isZero();
            assertThat(derive.stateRetention()).as("state kept for ever").isZero();
            assertThat(derive.commitInterval()).as("commit as often as Kafka Streams can").isZero();
        });
    }

    @Test
    void a_secret_is_never_echoed_in_a_refusal() {
        Map<String, String> env = complete();
        env.put("MAKE_WEBHOOK_URL", "https://hook.example.com/a token with spaces");
        env.put("MAKE_WEBHOOK_SECRET", "s3cret");
        assertThatThrownBy(() -> new BookhookSettings(env).sink()).isInstanceOf(SettingsException.class)
                .hasMessage("MAKE_WEBHOOK_URL must be an absolute http:// or https:// URL");
    }

    @Test
    void durations_take_the_documented_units() {
        Env env = new Env(Map.of("A", "250ms", "B", "10s", "C", "5m", "D", "1h", "E", "30d"));
        assertThat(env.duration("A", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.duration("B", null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(env.duration("C", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(env.duration("D", null)).isEqualTo(Duration.ofHours(1));
        assertThat(env.duration("E", null)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void without_an_endpoints_file_the_sink_posts_to_the_one_endpoint_make_from_the_seeds_settings() {
        Map<String, String> env = complete();
        env.put("MAKE_WEBHOOK_URL", "https://hook.eu1.make.com/abc123");
        env.put("MAKE_WEBHOOK_SECRET", "make-secret");
        env.put("BOOKHOOK_MAX_IN_FLIGHT", "250");

        assertThat(new BookhookSettings(env).sink().endpoints()).singleElement().satisfies(make -> {
            assertThat(make.name()).isEqualTo("make");
            assertThat(make.url()).hasToString("https://hook.eu1.make.com/abc123");
            assertThat(make.maxInFlight()).isEqualTo(250);
        });
        env.remove("MAKE_WEBHOOK_URL");
        assertThatThrownBy(() -> new BookhookSettings(env).sink()).isInstanceOf(SettingsException.class).hasMessage("MAKE_WEBHOOK_URL is not set");
    }

    @Test
    void with_an_endpoints_file_the_seeds_target_is_not_needed_and_a_bad_file_is_one_line(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("endpoints.yaml");
        java.nio.file.Files.writeString(file, """
                endpoints:
                  - name: crm
                    url: https://crm.example.com/hooks
                    secret_env: CRM_SECRET
                    salons: [7]
                """);
        Map<String, String> env = complete();
        env.put("BOOKHOOK_ENDPOINTS_FILE", file.toString());
        env.put("CRM_SECRET", "crm-secret");
        env.put("BOOKHOOK_COLUMN_SALON_ID", "branch_id");

        var sink = new BookhookSettings(env).sink();
        assertThat(sink.endpoints()).extracting(e -> e.name() + " " + e.salons()).containsExactly("crm [7]");
        assertThat(sink.salonIdColumn()).isEqualTo("branch_id");

        env.remove("CRM_SECRET");
        assertThatThrownBy(() -> new BookhookSettings(env).sink()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_ENDPOINTS_FILE: endpoint 'crm': secret_env names CRM_SECRET, which is not set");
    }
}
