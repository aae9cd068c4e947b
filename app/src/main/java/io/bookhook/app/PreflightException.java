package io.bookhook.app;

/**
 * A stage's start checks failed: its health port is taken, Kafka or Postgres does not answer, the mapping names a
 * table that is not there, a topic exists with settings that would lose data. Nothing has run yet; the message is
 * the one line the process stops with (exit code {@value OneLineErrors#PREFLIGHT_FAILURE}).
 */
final class PreflightException extends RuntimeException {

    PreflightException(String message) {
        super(message);
    }

    PreflightException(String message, Throwable cause) {
        super(message, cause);
    }
}
