package io.bookhook.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code BOOKHOOK_KAFKA_*} variables that point bookhook at a listener needing TLS and SASL: what {@code
 * KafkaSaslSslIT} runs every stage and command with, and what the Helm chart must render from its TLS/SASL values.
 */
public final class KafkaSaslSslVariables {

    /** The variables that carry a secret: the chart must take them from a Secret, never write them into a Deployment. */
    public static final Set<String> SECRET = Set.of("BOOKHOOK_KAFKA_SASL_JAAS_CONFIG", "BOOKHOOK_KAFKA_SSL_TRUSTSTORE_PASSWORD");

    private KafkaSaslSslVariables() {
    }

    public static Map<String, String> of(String bootstrapServers, String mechanism, String jaasConfig, Path trustStore, String trustStorePassword,
            String trustStoreType) {
        Map<String, String> variables = new TreeMap<>();
        variables.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        variables.put("BOOKHOOK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        variables.put("BOOKHOOK_KAFKA_SASL_MECHANISM", mechanism);
        variables.put("BOOKHOOK_KAFKA_SASL_JAAS_CONFIG", jaasConfig);
        variables.put("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION", trustStore.toString());
        variables.put("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_PASSWORD", trustStorePassword);
        variables.put("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_TYPE", trustStoreType);
        return variables;
    }

    /** The names alone, for a check that needs no broker. */
    public static Set<String> names() {
        return of("", "", "", Path.of(""), "", "").keySet();
    }
}
