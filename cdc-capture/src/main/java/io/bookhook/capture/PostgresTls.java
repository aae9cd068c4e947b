package io.bookhook.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How capture's connections to Postgres use TLS: the libpq {@code sslmode}, the CA certificate(s) the server's
 * certificate must chain to, and an optional client certificate and key. The JDBC connections (preflight, slot checks,
 * heartbeat, backfill) and Debezium's connections all take it, so they agree. A contradictory or incomplete choice is
 * refused here with one line naming the setting, before any connection is tried.
 */
public record PostgresTls(SslMode mode, Path rootCertificate, Path clientCertificate, Path clientKey) {

    public static final String SSLMODE_SETTING = "BOOKHOOK_POSTGRES_SSLMODE";
    public static final String SSLROOTCERT_SETTING = "BOOKHOOK_POSTGRES_SSLROOTCERT";
    public static final String SSLCERT_SETTING = "BOOKHOOK_POSTGRES_SSLCERT";
    public static final String SSLKEY_SETTING = "BOOKHOOK_POSTGRES_SSLKEY";
    public static final String HOST_SETTING = "BOOKHOOK_POSTGRES_HOST";

    /**
     * {@code prefer}: TLS when the server offers it, unchecked, else plain. It is what pgjdbc and Debezium did before
     * bookhook had this setting, so an existing deployment connects exactly as it did.
     */
    public static final PostgresTls DEFAULT = new PostgresTls(SslMode.PREFER, null, null, null);

    /** libpq's sslmode values, which pgjdbc and Debezium take as they are. */
    public enum SslMode {
        DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        /** The value as libpq, pgjdbc and Debezium spell it. */
        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the server's certificate is checked against the root certificate. */
        public boolean verifiesServer() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }

        public static SslMode parse(String value) {
            return Arrays.stream(values()).filter(mode -> mode.value().equals(value.strip().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(SSLMODE_SETTING + " must be "
                            + Arrays.stream(values()).map(SslMode::value).collect(Collectors.joining(", ")) + ", got '" + value + "'"));
        }
    }

    public PostgresTls {
        Objects.requireNonNull(mode, "mode");
        if (mode.verifiesServer() && rootCertificate == null) {
            throw new IllegalArgumentException(SSLMODE_SETTING + " is " + mode.value() + ", which checks the server's certificate: set "
                    + SSLROOTCERT_SETTING + " to the CA certificate (PEM) that signed it");
        }
        if (!mode.verifiesServer() && rootCertificate != null) {
            // Silently ignoring it would leave the operator believing the server is checked.
            throw new IllegalArgumentException(SSLROOTCERT_SETTING + " is set, but " + SSLMODE_SETTING + " " + mode.value()
                    + " does not check the server's certificate: set " + SSLMODE_SETTING + " to verify-full (or verify-ca)");
        }
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new IllegalArgumentException(clientCertificate == null
                    ? SSLKEY_SETTING + " is set without " + SSLCERT_SETTING + ": a client key needs its certificate"
                    : SSLCERT_SETTING + " is set without " + SSLKEY_SETTING + ": a client certificate needs its private key");
        }
        if (clientCertificate != null && mode == SslMode.DISABLE) {
            throw new IllegalArgumentException(SSLCERT_SETTING + " is set, but " + SSLMODE_SETTING
                    + " is disable, so the client certificate would never be sent");
        }
        requireReadable(rootCertificate, SSLROOTCERT_SETTING);
        requireReadable(clientCertificate, SSLCERT_SETTING);
        requireReadable(clientKey, SSLKEY_SETTING);
    }

    /** From the settings' text: {@code mode} is required, the files are absent when null or blank. */
    public static PostgresTls of(String mode, String rootCertificate, String clientCertificate, String clientKey) {
        return new PostgresTls(SslMode.parse(mode), path(rootCertificate), path(clientCertificate), path(clientKey));
    }

    public Optional<Path> rootCertificateFile() {
        return Optional.ofNullable(rootCertificate);
    }

    public Optional<Path> clientCertificateFile() {
        return Optional.ofNullable(clientCertificate);
    }

    public Optional<Path> clientKeyFile() {
        return Optional.ofNullable(clientKey);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static void requireReadable(Path file, String setting) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new IllegalArgumentException(setting + " names " + file + ", which is not a readable file");
        }
    }
}
