package io.bookhook.capture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.capture.PostgresTls.SslMode;
import io.bookhook.schemas.TopicNames;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

class PostgresTlsTest {

    @TempDir
    Path dir;

    @Test
    void every_libpq_sslmode_is_taken_and_anything_else_is_refused_naming_the_setting() {
        assertThat(SslMode.parse("verify-full")).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(SslMode.parse(" Disable ")).isEqualTo(SslMode.DISABLE);
        assertThat(Arrays.stream(SslMode.values()).map(SslMode::value))
                .containsExactly("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

        assertThatThrownBy(() -> PostgresTls.of("verify_full", null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BOOKHOOK_POSTGRES_SSLMODE must be disable, allow, prefer, require, verify-ca, verify-full, got 'verify_full'");
    }

    @Test
    void a_mode_that_checks_the_server_needs_the_root_certificate() {
        assertThatThrownBy(() -> PostgresTls.of("verify-ca", null, null, null))
                .hasMessage("BOOKHOOK_POSTGRES_SSLMODE is verify-ca, which checks the server's certificate: set BOOKHOOK_POSTGRES_SSLROOTCERT"
                        + " to the CA certificate (PEM) that signed it");
    }

    @Test
    void a_root_certificate_with_a_mode_that_would_not_use_it_is_refused() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");

        assertThatThrownBy(() -> PostgresTls.of("require", ca.toString(), null, null))
                .hasMessage("BOOKHOOK_POSTGRES_SSLROOTCERT is set, but BOOKHOOK_POSTGRES_SSLMODE require does not check the server's"
                        + " certificate: set BOOKHOOK_POSTGRES_SSLMODE to verify-full (or verify-ca)");
    }

    @Test
    void a_missing_certificate_file_is_refused_naming_its_setting() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        Path missing = dir.resolve("missing.crt");

        assertThatThrownBy(() -> PostgresTls.of("verify-full", missing.toString(), null, null))
                .hasMessage("BOOKHOOK_POSTGRES_SSLROOTCERT names " + missing + ", which is not a readable file");
        assertThatThrownBy(() -> PostgresTls.of("verify-full", ca.toString(), ca.toString(), missing.toString()))
                .hasMessage("BOOKHOOK_POSTGRES_SSLKEY names " + missing + ", which is not a readable file");
        assertThatThrownBy(() -> PostgresTls.of("verify-full", dir.toString(), null, null))
                .as("a directory").hasMessage("BOOKHOOK_POSTGRES_SSLROOTCERT names " + dir + ", which is not a readable file");
    }

    @Test
    void a_client_certificate_needs_its_key_and_the_other_way_round_and_never_goes_with_disable() throws IOException {
        Path cert = Files.writeString(dir.resolve("client.crt"), "pem");
        Path key = Files.writeString(dir.resolve("client.key"), "pem");

        assertThatThrownBy(() -> PostgresTls.of("require", null, cert.toString(), null))
                .hasMessage("BOOKHOOK_POSTGRES_SSLCERT is set without BOOKHOOK_POSTGRES_SSLKEY: a client certificate needs its private key");
        assertThatThrownBy(() -> PostgresTls.of("require", null, null, key.toString()))
                .hasMessage("BOOKHOOK_POSTGRES_SSLKEY is set without BOOKHOOK_POSTGRES_SSLCERT: a client key needs its certificate");
        assertThatThrownBy(() -> PostgresTls.of("disable", null, cert.toString(), key.toString()))
                .hasMessage("BOOKHOOK_POSTGRES_SSLCERT is set, but BOOKHOOK_POSTGRES_SSLMODE is disable, so the client certificate would never be sent");
    }

    @Test
    void the_jdbc_url_and_debezium_carry_the_same_tls_settings() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca dir.crt"), "pem");
        Path cert = Files.writeString(dir.resolve("client.crt"), "pem");
        Path key = Files.writeString(dir.resolve("client.key"), "pem");
        PostgresConnection pg = new PostgresConnection("db.example.com", 5432, "bookings", "cdc", "secret",
                PostgresTls.of("verify-full", ca.toString(), cert.toString(), key.toString()));

        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/bookings?sslmode=verify-full&sslrootcert="
                + URLEncoder.encode(ca.toString(), UTF_8)
                + "&sslcert=" + URLEncoder.encode(cert.toString(), UTF_8)
                + "&sslkey=" + URLEncoder.encode(key.toString(), UTF_8));
        assertThat(new Driver().getPropertyInfo(pg.jdbcUrl(), new Properties()))
                .as("pgjdbc reads the file names back as they are")
                .filteredOn(info -> info.name.equals("sslrootcert")).singleElement()
                .satisfies(info -> assertThat(info.value).isEqualTo(ca.toString()));

        Properties debezium = DebeziumProperties.of(new CaptureSettings(pg, "public", List.of("appointments_appointment"), List.of(),
                "bookhook_heartbeat", "slot", "publication", "engine", "offsets", Map.of("bootstrap.servers", "localhost:9092"),
                TopicNames.defaults(), Duration.ofMillis(10), Duration.ofSeconds(10)));
        assertThat(debezium)
                .containsEntry("database.sslmode", "verify-full")
                .containsEntry("database.sslrootcert", ca.toString())
                .containsEntry("database.sslcert", cert.toString())
                .containsEntry("database.sslkey", key.toString());
    }

    @Test
    void without_tls_settings_both_prefer_tls_as_pgjdbc_and_debezium_did_on_their_own() {
        PostgresConnection pg = new PostgresConnection("localhost", 5432, "bookings", "cdc", "secret");

        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/bookings?sslmode=prefer");
        assertThat(pg.tls().rootCertificateFile()).isEmpty();
    }
}
