package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.capture.PostgresTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BOOKHOOK_POSTGRES_SSLMODE, _SSLROOTCERT, _SSLCERT and _SSLKEY as capture, backfill and the bench read them. */
class PostgresTlsSettingsTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private static Map<String, String> postgres() {
        Map<String, String> env = new HashMap<>();
        env.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        env.put("BOOKHOOK_POSTGRES_HOST", "db.example.com");
        env.put("BOOKHOOK_POSTGRES_DB", "booking");
        env.put("BOOKHOOK_POSTGRES_USER", "bookhook");
        env.put("BOOKHOOK_POSTGRES_PASSWORD", "s3cr3t-pw");
        return env;
    }

    @Test
    void without_tls_settings_capture_prefers_tls_as_it_did_before_they_existed() {
        assertThat(new BookhookSettings(postgres()).capture().postgres().tls()).isEqualTo(PostgresTls.DEFAULT);
        assertThat(PostgresTls.DEFAULT.mode()).isEqualTo(PostgresTls.SslMode.PREFER);
    }

    @Test
    void verify_full_with_the_root_and_client_certificates_reaches_the_connection() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        Path cert = Files.writeString(dir.resolve("client.crt"), "pem");
        Path key = Files.writeString(dir.resolve("client.key"), "pem");
        Map<String, String> env = postgres();
        env.put("BOOKHOOK_POSTGRES_SSLMODE", "verify-full");
        env.put("BOOKHOOK_POSTGRES_SSLROOTCERT", ca.toString());
        env.put("BOOKHOOK_POSTGRES_SSLCERT", cert.toString());
        env.put("BOOKHOOK_POSTGRES_SSLKEY", key.toString());

        assertThat(new BookhookSettings(env).postgres().tls())
                .isEqualTo(new PostgresTls(PostgresTls.SslMode.VERIFY_FULL, ca, cert, key));
    }

    @Test
    void a_bad_sslmode_is_a_settings_error_naming_the_setting() {
        Map<String, String> env = postgres();
        env.put("BOOKHOOK_POSTGRES_SSLMODE", "on");

        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_POSTGRES_SSLMODE must be disable, allow, prefer, require, verify-ca, verify-full, got 'on'");
    }

    @Test
    void a_missing_root_certificate_file_stops_capture_at_start_with_exit_2_and_one_line() {
        Path missing = dir.resolve("rds-ca.pem");
        Map<String, String> env = postgres();
        env.put("BOOKHOOK_POSTGRES_SSLMODE", "verify-full");
        env.put("BOOKHOOK_POSTGRES_SSLROOTCERT", missing.toString());
        InProcessCommandLine cli = new InProcessCommandLine();

        assertThat(cli.run(env, "capture")).isEqualTo(OneLineErrors.SETTINGS_ERROR).isEqualTo(2);
        assertThat(cli.err.toString()).isEqualTo("bookhook capture: BOOKHOOK_POSTGRES_SSLROOTCERT names " + missing
                + ", which is not a readable file" + NL);
    }

    @Test
    void verify_full_without_a_root_certificate_is_a_settings_error() {
        Map<String, String> env = postgres();
        env.put("BOOKHOOK_POSTGRES_SSLMODE", "verify-full");

        assertThatThrownBy(() -> new BookhookSettings(env).capture()).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("BOOKHOOK_POSTGRES_SSLMODE is verify-full, which checks the server's certificate: set BOOKHOOK_POSTGRES_SSLROOTCERT");
    }
}
