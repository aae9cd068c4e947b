package io.bookhook.runtime.settings;

/**
 * A setting is missing or malformed. The message is one line that names the variable and what it must be, and never
 * holds the value of a secret. An {@link IllegalArgumentException}, like the settings records' own checks, so a
 * composer turns both into its stop-at-start error the same way.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
