package io.bookhook.app;

import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.OperatorException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the operator commands share: settings from the given environment, Kafka clients that give up within
 * seconds, and failures an operator can act on printed as one line (exit 1; a bad setting or argument exits 2).
 * Anything unexpected still goes to {@link OneLineErrors}.
 */
abstract class OperatorCommand implements Callable<Integer> {

    /** How long an operator waits for Kafka before being told it is unreachable. */
    static final Duration KAFKA_ANSWER_WITHIN = Duration.ofSeconds(8);

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    OperatorCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public final Integer call() throws Exception {
        if (printsOnlyItsResult()) {
            OperatorLogging.errorsToStderr();
        } else {
            OperatorLogging.quietKafkaClients();
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(new BookhookSettings(environment), spec.commandLine().getOut());
        } catch (SettingsException e) {
            err.println("bookhook " + spec.name() + ": " + e.getMessage());
            return OneLineErrors.SETTINGS_ERROR;
        } catch (OperatorException e) {
            org.slf4j.LoggerFactory.getLogger(getClass()).debug("{} refused", spec.name(), e);
            err.println("bookhook " + spec.name() + ": " + e.getMessage());
            // An unreadable argument (a bad --since, an ambiguous id prefix) is a usage error, like picocli's own.
            return e.kind() == OperatorException.Kind.INVALID ? OneLineErrors.SETTINGS_ERROR : OneLineErrors.FAILURE;
        } finally {
            err.flush();
        }
    }

    abstract int run(BookhookSettings settings, PrintWriter out) throws Exception;

    /** True for a command whose stdout is its result alone (logs go to stderr, errors only); false for a service (admin). */
    boolean printsOnlyItsResult() {
        return true;
    }

    /**
     * Kafka client properties for a short-lived operator command: the user's (TLS, SASL pass through) over
     * request timeouts short enough that an unreachable broker is reported in seconds, not after minutes.
     */
    static Map<String, String> promptClient(BookhookSettings settings) {
        Map<String, String> client = new HashMap<>();
        client.put("request.timeout.ms", "5000");
        client.put("default.api.timeout.ms", "8000");
        client.put("reconnect.backoff.max.ms", "1000");
        client.putAll(settings.env().kafkaClient());
        return client;
    }

    /** The ledger, read to its end; the caller closes the view. */
    static LedgerView caughtUpLedger(BookhookSettings settings) {
        LedgerView view = LedgerView.start(promptClient(settings), settings.topics().deliveryLedger());
        try {
            view.awaitCaughtUp(KAFKA_ANSWER_WITHIN);
            return view;
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }
}
