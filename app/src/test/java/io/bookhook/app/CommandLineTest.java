package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {

    private final InProcessCommandLine cli = new InProcessCommandLine();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "bench", "capture", "derive", "sink", "admin", "deliveries", "retry", "resend", "forget", "replay", "backfill", "endpoints", "pause", "resume",
            "mock-receiver"})
    void every_command_explains_itself(String command) {
        assertThat(cli.run(Map.of(), command, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: bookhook " + command);
    }

    @Test
    void a_stage_without_its_settings_stops_at_start_with_one_line_naming_the_first_missing_one() {
        assertThat(cli.run(Map.of(), "capture")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook capture: BOOKHOOK_POSTGRES_HOST is not set" + System.lineSeparator());
    }

    @Test
    void a_malformed_webhook_url_is_named_and_neither_it_nor_the_secret_is_printed() {
        Map<String, String> environment = Map.of("MAKE_WEBHOOK_URL", "ftp://hook.example/s3cr3t-token",
                "MAKE_WEBHOOK_SECRET", "very-secret-value", "BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");

        assertThat(cli.run(environment, "sink")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook sink: MAKE_WEBHOOK_URL must be an absolute http:// or https:// URL"
                + System.lineSeparator());
        assertThat(err.toString() + out).doesNotContain("very-secret-value").doesNotContain("s3cr3t-token");
    }

    @Test
    void a_backfill_of_an_empty_range_is_refused_before_reading_anything() {
        assertThat(cli.run(Map.of(), "backfill", "--since", "2026-01-02", "--until", "2026-01-01")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook backfill: --until 2026-01-01T00:00:00Z is not after --since 2026-01-02T00:00:00Z:"
                + " the range is empty" + System.lineSeparator());
    }

    @Test
    void a_backfill_without_kafka_says_so_in_one_line_within_seconds() {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            long start = System.nanoTime();
            assertThat(cli.run(Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port), "backfill", "--since", "2026-01-01"))
                    .isEqualTo(OneLineErrors.FAILURE);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
            assertThat(err.toString()).startsWith("bookhook backfill: cannot read the partitions of bookhook.appointment-events").hasLineCount(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_malformed_duration_option_is_refused_by_the_parser() {
        assertThat(cli.run(Map.of(), "mock-receiver", "--stall", "soon")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("expected a duration like 250ms, 10s, 5m, 1h or 30d, got 'soon'");
    }

    @Test
    void the_admin_refuses_to_listen_beyond_loopback_without_a_token_naming_the_token_and_the_address_setting() {
        Map<String, String> environment = Map.of("BOOKHOOK_ADMIN_BIND", "0.0.0.0", "BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        assertThat(cli.run(environment, "admin", "--port", "0")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook admin: BOOKHOOK_ADMIN_TOKEN is not set, so the admin listens on loopback only, not on"
                + " 0.0.0.0 (BOOKHOOK_ADMIN_BIND or --bind): set BOOKHOOK_ADMIN_TOKEN (and BOOKHOOK_ADMIN_READ_TOKEN for read-only users),"
                + " or bind to 127.0.0.1" + System.lineSeparator());
        assertThat(out.toString()).as("nothing started").isEmpty();

        InProcessCommandLine withBindOption = new InProcessCommandLine();
        assertThat(withBindOption.run(Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9"), "admin", "--bind", "0.0.0.0", "--port", "0"))
                .isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(withBindOption.err.toString()).startsWith("bookhook admin: BOOKHOOK_ADMIN_TOKEN is not set").hasLineCount(1);
    }

    @Test
    void admin_tokens_are_checked_at_start_and_never_printed() {
        assertThat(cli.run(Map.of("BOOKHOOK_ADMIN_READ_TOKEN", "read-only-value"), "admin", "--port", "0"))
                .isEqualTo(OneLineErrors.SETTINGS_ERROR);
        InProcessCommandLine same = new InProcessCommandLine();
        assertThat(same.run(Map.of("BOOKHOOK_ADMIN_TOKEN", "shared-value", "BOOKHOOK_ADMIN_READ_TOKEN", " shared-value "), "admin", "--port", "0"))
                .isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook admin: BOOKHOOK_ADMIN_READ_TOKEN is set without BOOKHOOK_ADMIN_TOKEN: set the"
                + " operator token too" + System.lineSeparator());
        assertThat(same.err.toString()).isEqualTo("bookhook admin: BOOKHOOK_ADMIN_READ_TOKEN is the same as BOOKHOOK_ADMIN_TOKEN: give"
                + " read-only users a token of their own" + System.lineSeparator());
        assertThat(err.toString() + out + same.err + same.out).doesNotContain("read-only-value").doesNotContain("shared-value");
    }

    @Test
    void the_mock_receiver_needs_the_secret_it_verifies_with() {
        assertThat(cli.run(Map.of(), "mock-receiver", "--port", "0")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook mock-receiver: MAKE_WEBHOOK_SECRET is not set" + System.lineSeparator());
    }
}
