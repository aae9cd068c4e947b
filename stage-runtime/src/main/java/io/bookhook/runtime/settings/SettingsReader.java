package io.bookhook.runtime.settings;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@link Setting}s from an environment, and remembers which variables were looked up and which are required: what a
 * deployment of the stages read so far may and must set. A blank variable counts as unset.
 */
public final class SettingsReader {

    private final Map<String, String> variables;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Set<String> required = ConcurrentHashMap.newKeySet();

    public SettingsReader(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The value, else the default; a required setting, or one without a default, that is unset is refused. */
    public <T> T get(Setting<T> setting) {
        if (setting.isRequired()) {
            required.add(setting.name());
        }
        return find(setting).or(setting::defaultValue)
                .orElseThrow(() -> new InvalidSettingException(setting.name() + " is not set"));
    }

    /** The value when the variable is set; its default is the caller's to work out. */
    public <T> Optional<T> find(Setting<T> setting) {
        return raw(setting.name()).map(setting::parse);
    }

    /** The stripped text of a variable not declared as a {@link Setting}: one an endpoints file names, say. */
    public Optional<String> raw(String name) {
        read.add(name);
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** Marks a variable read through {@link #raw} as one that must be set. */
    public void markRequired(String name) {
        required.add(name);
    }

    /** The whole environment, for variables read by prefix (Kafka client properties). */
    public Map<String, String> variables() {
        return variables;
    }

    /** Every variable looked up so far. */
    public Set<String> namesRead() {
        return Set.copyOf(read);
    }

    /** Every required variable looked up so far. */
    public Set<String> namesRequired() {
        return Set.copyOf(required);
    }
}
