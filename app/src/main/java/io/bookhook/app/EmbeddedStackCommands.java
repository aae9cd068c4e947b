package io.bookhook.app;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code demo} and {@code bench} run on an embedded Kafka broker and Postgres, which the production image leaves out
 * (about 45 jars and the Postgres binaries no stage needs). Where the embedded stack is on the class path they are
 * registered as usual; elsewhere each answers with one line saying where to run it. They cannot simply be listed in
 * {@link BookhookCommand}: picocli reflects on every listed command's methods, whose signatures name the embedded
 * stack's classes, and {@code bookhook --help} itself would fail without them.
 */
final class EmbeddedStackCommands {

    private static final String EMBEDDED_STACK_CLASS = "io.bookhook.embedded.EmbeddedStack";

    private EmbeddedStackCommands() {
    }

    static void register(CommandLine bookhook, CommandLine.IFactory factory) {
        if (embeddedStackPresent()) {
            bookhook.addSubcommand("demo", new CommandLine(DemoCommand.class, factory));
            bookhook.addSubcommand("bench", new CommandLine(BenchCommand.class, factory));
        } else {
            bookhook.addSubcommand("demo", new CommandLine(new NotInThisInstallation("demo")));
            bookhook.addSubcommand("bench", new CommandLine(new NotInThisInstallation("bench")));
        }
    }

    static boolean embeddedStackPresent() {
        try {
            Class.forName(EMBEDDED_STACK_CLASS, false, EmbeddedStackCommands.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Command(description = "Not in this installation: it runs on the embedded Kafka and Postgres, which the production image leaves out.")
    static final class NotInThisInstallation implements Callable<Integer> {

        private final String command;

        @CommandLine.Unmatched
        List<String> ignoredArguments;

        NotInThisInstallation(String command) {
            this.command = command;
        }

        @Override
        public Integer call() {
            throw new IllegalStateException("this installation (the production image) leaves out the embedded Kafka and Postgres that "
                    + command + " runs on; run ./bookhook " + command + " from a checkout of bookhook instead");
        }
    }
}
