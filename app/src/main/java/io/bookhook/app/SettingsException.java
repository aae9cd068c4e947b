package io.bookhook.app;

/** A setting is missing or malformed; the message names it and is the one line the process stops with. */
public final class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }
}
