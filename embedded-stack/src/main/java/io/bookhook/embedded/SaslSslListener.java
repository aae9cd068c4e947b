package io.bookhook.embedded;

import java.util.Objects;

/**
 * A client listener of {@link EmbeddedKafka} that needs TLS, with a server certificate from {@code certificates}, and
 * SASL SCRAM-SHA-512 as {@code user} with {@code password}. SCRAM rather than PLAIN because it is what managed Kafka
 * services (MSK, Aiven, Confluent Platform) ask of a client and its credentials live in the cluster metadata, so
 * {@code kafka-storage format --add-scram} creates the user before the broker serves anyone.
 */
public record SaslSslListener(TestCertificates certificates, String user, String password) {

    public static final String NAME = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SaslSslListener {
        Objects.requireNonNull(certificates, "certificates");
        if (user == null || !user.matches("[A-Za-z0-9_-]+") || password == null || !password.matches("[A-Za-z0-9_-]+")) {
            // Kept to characters that need no quoting in a JAAS line or in --add-scram.
            throw new IllegalArgumentException("user and password must be letters, digits, '_' or '-'");
        }
    }

    /** The {@code sasl.jaas.config} a client logs in with as {@code user} and {@code password}. */
    public static String clientJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** The argument of {@code kafka-storage format} that creates the user. */
    String addScramArgument() {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    @Override
    public String toString() {
        return "SaslSslListener[user=" + user + ", password=(hidden)]";
    }
}
