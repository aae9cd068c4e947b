package io.bookhook.app;

import java.util.Map;
import picocli.CommandLine;

/** The {@code bookhook} launcher: one CLI for every stage and operator command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new BookhookCommand(), new EnvironmentFactory(environment))
                .setExecutionExceptionHandler(new OneLineErrors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
