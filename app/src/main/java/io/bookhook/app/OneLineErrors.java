package io.bookhook.app;

import io.bookhook.capture.CaptureFailedException;
import io.bookhook.runtime.Causes;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns whatever stopped a command into one readable line on stderr and an exit code: 2 for a missing or malformed
 * setting, 3 for a stage whose start checks failed (port taken, Kafka or Postgres unreachable, a wrong mapping, a topic
 * that would lose data), 1 for anything else. The full stack trace goes to the log, not the terminal. README's "Exit
 * codes" table lists the same.
 */
final class OneLineErrors implements IExecutionExceptionHandler {

    static final int SETTINGS_ERROR = 2;
    static final int FAILURE = 1;
    static final int PREFLIGHT_FAILURE = 3;

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        // The stack trace is for whoever debugs bookhook itself; an operator gets the one line below.
        org.slf4j.LoggerFactory.getLogger(OneLineErrors.class).debug("{} failed", commandLine.getCommandName(), error);
        commandLine.getErr().println("bookhook " + commandLine.getCommandName() + ": " + describe(error));
        if (error instanceof SettingsException) {
            return SETTINGS_ERROR;
        }
        return error instanceof PreflightException ? PREFLIGHT_FAILURE : FAILURE;
    }

    static String describe(Throwable error) {
        if (error instanceof SettingsException || error instanceof PreflightException || error instanceof CaptureFailedException) {
            return error.getMessage();
        }
        return Causes.rootFirstLine(error);
    }
}
