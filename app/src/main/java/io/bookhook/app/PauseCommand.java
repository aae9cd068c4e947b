package io.bookhook.app;

import io.bookhook.ledger.EndpointControls;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pauses an endpoint: every sink stops attempting its deliveries (no probes either); they wait, durably, "
                + "and nothing is failed for the pause. Kept across sink restarts until `bookhook resume NAME`.",
                "",
                "Exit codes: 0 paused, 1 Kafka unreachable, 2 bad name or setting."})
final class PauseCommand extends OperatorCommand {

    @Parameters(paramLabel = "NAME", description = "The endpoint to pause.")
    String name;

    PauseCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        try (EndpointControls controls = new EndpointControls(promptClient(settings), settings.topics().endpointControl(), Clock.systemUTC())) {
            controls.pause(name);
            out.println("endpoint " + name + " paused: its deliveries wait until `bookhook resume " + name + "`");
            return 0;
        }
    }
}
