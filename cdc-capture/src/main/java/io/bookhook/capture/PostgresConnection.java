package io.bookhook.capture;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Where the booking app's Postgres is, and how to reach it over TLS. The password is never part of {@link #toString()}. */
public record PostgresConnection(String host, int port, String database, String user, String password, PostgresTls tls) {

    public PostgresConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        CaptureSettings.POSTGRES_PORT.check(port);
    }

    /** With {@link PostgresTls#DEFAULT}: TLS when the server offers it, unchecked. */
    public PostgresConnection(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, PostgresTls.DEFAULT);
    }

    /**
     * The URL carries the TLS parameters, so every connection made from it (preflight, slot checks, backfill, the bench)
     * uses TLS the same way without each caller passing them.
     */
    public String jdbcUrl() {
        String parameters = pgjdbcTlsProperties().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + parameters;
    }

    /** pgjdbc's names for the TLS settings; Debezium takes the same ones with a {@code database.} prefix. */
    Map<String, String> pgjdbcTlsProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sslmode", tls.mode().value());
        tls.rootCertificateFile().map(Path::toString).ifPresent(file -> properties.put("sslrootcert", file));
        tls.clientCertificateFile().map(Path::toString).ifPresent(file -> properties.put("sslcert", file));
        tls.clientKeyFile().map(Path::toString).ifPresent(file -> properties.put("sslkey", file));
        return properties;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
