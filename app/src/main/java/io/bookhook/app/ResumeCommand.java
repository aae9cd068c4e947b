package io.bookhook.app;

import io.bookhook.ledger.EndpointControls;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes a paused endpoint: what waited for it is delivered, in order per appointment.",
                "",
                "Exit codes: 0 resumed, 1 Kafka unreachable, 2 bad name or setting."})
final class ResumeCommand extends OperatorCommand {

    @Parameters(paramLabel = "NAME", description = "The endpoint to resume.")
    String name;

    ResumeCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        try (EndpointControls controls = new EndpointControls(promptClient(settings), settings.topics().endpointControl(), Clock.systemUTC())) {
            controls.resume(name);
            out.println("endpoint " + name + " resumed: what waited for it goes now");
            return 0;
        }
    }
}
