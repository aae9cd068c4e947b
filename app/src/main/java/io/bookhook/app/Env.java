package io.bookhook.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed reads of environment variables. Every failure names the variable and what was expected, and never
 * echoes the value of a variable that may hold a secret.
 */
final class Env {

    static final String KAFKA_PREFIX = "BOOKHOOK_KAFKA_";
    /** bookhook's own setting under the Kafka prefix (see BookhookSettings#maxMessageBytes): not a client property. */
    static final String MAX_MESSAGE_BYTES = KAFKA_PREFIX + "MAX_MESSAGE_BYTES";
    /** bookhook's own setting under the Kafka prefix (see KafkaReachability): how long a stage waits for Kafka at start. */
    static final String CONNECT_TIMEOUT = KAFKA_PREFIX + "CONNECT_TIMEOUT";

    private final Map<String, String> variables;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Set<String> required = ConcurrentHashMap.newKeySet();

    Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Every variable looked up so far: what a deployment may set for the stages that were read. */
    Set<String> namesRead() {
        return Set.copyOf(read);
    }

    /** Every variable that must be set for the stages read so far. */
    Set<String> namesRequired() {
        return Set.copyOf(required);
    }

    Optional<String> optional(String name) {
        read.add(name);
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    String required(String name) {
        required.add(name);
        return optional(name).orElseThrow(() -> new SettingsException(name + " is not set"));
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new SettingsException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    double decimal(String name, double defaultValue, double min, double max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (!(value >= min && value <= max)) {
                throw new SettingsException(name + " must be between " + min + " and " + max + ", got " + raw.get());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be a number, got '" + raw.get() + "'");
        }
    }

    /** A comma-separated list; empty when unset. Values are not echoed: lists of secrets are read this way. */
    List<String> list(String name) {
        return optional(name).map(raw -> Arrays.stream(raw.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList())
                .orElse(List.of());
    }

    boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new SettingsException(name + " must be true or false, got '" + raw.get() + "'");
        };
    }

    /** Durations as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 30d}. */
    Duration duration(String name, Duration defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Durations.parse(raw.get());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(name + " must be " + Durations.EXPECTED + ", got '" + raw.get() + "'");
        }
    }

    /** An absolute http(s) URL. The value is not echoed: webhook URLs often carry a token in their path. */
    URI httpUrl(String name) {
        String raw = required(name);
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new SettingsException(name + " must be an absolute http:// or https:// URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SettingsException(name + " is not a valid URL (" + e.getReason() + ")");
        }
    }

    /**
     * Kafka client properties: {@code BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS} becomes {@code bootstrap.servers},
     * {@code BOOKHOOK_KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}, so TLS and SASL pass through.
     */
    Map<String, String> kafkaClient() {
        read.add(KAFKA_PREFIX + "BOOTSTRAP_SERVERS");
        required.add(KAFKA_PREFIX + "BOOTSTRAP_SERVERS");
        Map<String, String> client = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(KAFKA_PREFIX) && !name.equals(MAX_MESSAGE_BYTES) && !name.equals(CONNECT_TIMEOUT) && value != null && !value.isBlank()) {
                client.put(name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.strip());
            }
        });
        if (!client.containsKey("bootstrap.servers")) {
            throw new SettingsException(KAFKA_PREFIX + "BOOTSTRAP_SERVERS is not set");
        }
        return client;
    }
}
