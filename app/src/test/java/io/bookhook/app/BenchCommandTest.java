package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** What {@code bookhook bench} refuses before it starts anything. */
class BenchCommandTest {

    private final InProcessCommandLine cli = new InProcessCommandLine();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--rate=-5          | --rate must be between 1 and 100000 rows per second, got -5",
            "--rate=0           | --rate must be between 1 and 100000 rows per second, got 0",
            "--failure-rate=1.5 | --failure-rate must be between 0.0 and 1.0, got 1.5",
            "--failure-rate=-0.1| --failure-rate must be between 0.0 and 1.0, got -0.1",
            "--backlog=-1       | --backlog must be 0 (no backlog) or more, got -1",
            "--warmup=60s       | --warmup must be shorter than --duration (60000ms), got 60000ms",
            "--duration=0s      | --duration must be longer than 0, got 0ms",
            "--drain-timeout=0s | --drain-timeout must be longer than 0"})
    void a_bad_option_value_is_refused_with_one_line_naming_the_option(String option, String message) {
        assertThat(cli.run(Map.of(), "bench", option.strip())).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook bench: " + message + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void a_paced_phase_too_short_to_book_and_confirm_one_appointment_is_refused() {
        assertThat(cli.run(Map.of(), "bench", "--rate", "3", "--duration", "600ms", "--warmup", "0s")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook bench: --duration at --rate 3 books no appointment (booking and confirming one "
                + "takes 2 transactions): make it at least 667ms" + System.lineSeparator());
    }

    @Test
    void a_malformed_value_is_refused_by_the_parser() {
        assertThat(cli.run(Map.of(), "bench", "--servers", "cloud")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--servers").contains("cloud");
        assertThat(cli.run(Map.of(), "bench", "--duration", "soon")).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void an_endpoints_file_is_refused_because_the_bench_needs_its_own_receiver() {
        assertThat(cli.run(Map.of("BOOKHOOK_ENDPOINTS_FILE", "/etc/bookhook/endpoints.yaml"), "bench")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook bench: BOOKHOOK_ENDPOINTS_FILE is set: the bench posts to its own receiver only; "
                + "unset it to run the bench" + System.lineSeparator());
    }

    @Test
    void a_table_mapping_other_than_the_reference_schema_is_refused() {
        assertThat(cli.run(Map.of("BOOKHOOK_TABLE_APPOINTMENT", "bookings"), "bench", "--servers", "env"))
                .isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).startsWith("bookhook bench: the bench writes the reference schema's tables");
    }

    @Test
    void standard_webhooks_only_is_refused_since_the_receiver_checks_x_make_signature() {
        assertThat(cli.run(Map.of("BOOKHOOK_SIGNATURE_MODE", "standard"), "bench")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).contains("BOOKHOOK_SIGNATURE_MODE is standard");
    }
}
