package io.bookhook.app;

import io.bookhook.runtime.settings.InvalidSettingException;
import io.bookhook.runtime.settings.Setting;
import io.bookhook.runtime.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The commands' reader of environment variables: the declared {@link Setting}s through one {@link SettingsReader}, whose
 * refusals become the {@link SettingsException} a command stops with (exit 2), and the Kafka client properties passed
 * through by prefix. A refusal names the variable and never echoes a secret's value.
 */
final class Env {

    static final String KAFKA_PREFIX = "BOOKHOOK_KAFKA_";

    private final SettingsReader reader;

    Env(Map<String, String> variables) {
        this.reader = new SettingsReader(variables);
    }

    /** The reader the modules' settings read from; their refusals are turned into SettingsException by {@link #checked}. */
    SettingsReader reader() {
        return reader;
    }

    /** Runs a read of settings, turning a refusal (a declaration's or a settings record's check) into a SettingsException. */
    static <T> T checked(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            // Declarations and records name the variable (or the endpoints file's endpoint and key), never a secret's value.
            throw new SettingsException(e.getMessage());
        }
    }

    /** Every variable looked up so far: what a deployment may set for the stages that were read. */
    Set<String> namesRead() {
        return reader.namesRead();
    }

    /** Every variable that must be set for the stages read so far. */
    Set<String> namesRequired() {
        return reader.namesRequired();
    }

    <T> T get(Setting<T> setting) {
        return checked(() -> reader.get(setting));
    }

    <T> Optional<T> find(Setting<T> setting) {
        return checked(() -> reader.find(setting));
    }

    /** The text of a declared setting, unread. */
    Optional<String> optional(Setting<?> setting) {
        return reader.raw(setting.name());
    }

    Optional<String> optional(String name) {
        return reader.raw(name);
    }

    String required(String name) {
        return get(Setting.requiredText(name));
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    /** A comma-separated list; empty when unset. Values are not echoed: lists of secrets are read this way. */
    List<String> list(String name) {
        return get(Setting.list(name));
    }

    /** A duration in the one syntax of every setting: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 30d}. */
    Duration duration(String name, Duration defaultValue) {
        return defaultValue == null ? find(Setting.duration(name, Duration.ZERO)).orElse(null) : get(Setting.duration(name, defaultValue));
    }

    /**
     * Kafka client properties: {@code BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS} becomes {@code bootstrap.servers},
     * {@code BOOKHOOK_KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}, so TLS and SASL pass through. bookhook's
     * own settings under the prefix ({@link SharedSettings#KAFKA_OWN}) are not client properties.
     */
    Map<String, String> kafkaClient() {
        get(SharedSettings.BOOTSTRAP_SERVERS);
        Set<String> own = SharedSettings.KAFKA_OWN;
        Map<String, String> client = new TreeMap<>();
        reader.variables().forEach((name, value) -> {
            if (name.startsWith(KAFKA_PREFIX) && !own.contains(name) && value != null && !value.isBlank()) {
                client.put(name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.strip());
            }
        });
        return client;
    }
}
