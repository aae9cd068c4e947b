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
        EnvironmentFactory factory = new EnvironmentFactory(environment);
        CommandLine bookhook = new CommandLine(new BookhookCommand(), factory);
        EmbeddedStackCommands.register(bookhook, factory);
        return bookhook.setExecutionExceptionHandler(new OneLineErrors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
