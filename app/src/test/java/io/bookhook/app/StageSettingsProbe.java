package io.bookhook.app;

import io.bookhook.runtime.settings.Setting;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The deployment tests' window on the settings code (which is package-private): for one stage and one
 * environment, reads that stage's settings exactly as its command does, and reports which variables were looked up
 * and which are required. New settings a stage reads through {@link BookhookSettings} show up here by themselves.
 */
public final class StageSettingsProbe {

    /** Variables the launchers read, not {@link Env}: the root {@code bookhook} script and the image's launcher. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("BOOKHOOK_JAVA_OPTS");

    /** Prefix of the Kafka client properties that pass through to every Kafka client. */
    public static final String KAFKA_PASS_THROUGH_PREFIX = Env.KAFKA_PREFIX;

    /** What each stage's command reads before it starts, in the command's order. */
    private static final Map<String, Consumer<BookhookSettings>> READERS = Map.of(
            // Capture, derive and sink: their own settings, the topics every stage ensures (StageTopics), and their
            // health and metrics port (StageEndpoints).
            "capture", settings -> {
                settings.capture();
                stageCommon(settings);
            },
            "derive", settings -> {
                settings.derive();
                stageCommon(settings);
            },
            "sink", settings -> {
                settings.sink();
                stageCommon(settings);
            },
            // MockReceiverCommand reads only the signing secrets
            "mock-receiver", settings -> {
                settings.env().required("MAKE_WEBHOOK_SECRET");
                settings.env().list("BOOKHOOK_STANDARD_WEBHOOK_SECRETS");
            },
            // AdminCommand.run: its tokens and address, the Kafka client and the topic names (its port is an option, not a setting)
            "admin", settings -> {
                settings.adminAccess();
                settings.adminBind();
                settings.env().kafkaClient();
                settings.topics();
            });

    private static void stageCommon(BookhookSettings settings) {
        settings.topicLayout();
        settings.topics();
        settings.tableMapping();
        settings.stagePort();
        settings.kafkaConnectTimeout();
    }

    public record Names(Set<String> read, Set<String> required) {
    }

    private StageSettingsProbe() {
    }

    /** The variables the code declares, by the stage or command that reads them (see BookhookSettings.DECLARED_BY_READER). */
    public static Map<String, List<Setting<?>>> declaredByReader() {
        return BookhookSettings.DECLARED_BY_READER;
    }

    public static Set<String> stages() {
        return READERS.keySet();
    }

    /** Reads the stage's settings from the environment; throws {@link SettingsException} like the command would. */
    public static Names read(String stage, Map<String, String> environment) {
        Consumer<BookhookSettings> reader = READERS.get(stage);
        if (reader == null) {
            throw new IllegalArgumentException("no settings reader for stage '" + stage + "'; known: " + READERS.keySet());
        }
        BookhookSettings settings = new BookhookSettings(environment);
        reader.accept(settings);
        return new Names(settings.env().namesRead(), settings.env().namesRequired());
    }

    /** Parses a command line with the real CLI and returns the subcommand it selects; fails as the CLI would. */
    public static String parse(List<String> args) {
        CommandLine.ParseResult result = Main.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
        if (!result.hasSubcommand()) {
            throw new IllegalArgumentException("no subcommand in " + args);
        }
        return result.subcommand().commandSpec().name();
    }

    public static boolean isSettingsException(Throwable error) {
        return error instanceof SettingsException;
    }
}
