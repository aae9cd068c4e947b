package io.bookhook.app;

import picocli.CommandLine;

/** The {@code bookhook} launcher: one CLI for every stage and operator command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BookhookCommand())
                .setExecutionExceptionHandler(new OneLineErrors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
