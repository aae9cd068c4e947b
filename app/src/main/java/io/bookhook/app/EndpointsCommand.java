package io.bookhook.app;

import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerTable;
import io.bookhook.ledger.LedgerView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = {"Lists the endpoints with their filters and health: circuit state, paused, in flight and waiting (as the running "
                + "sinks last reported them), delivered and failed (from the ledger), and the last error.",
                "",
                "Exit codes: 0 listed (even none), 1 Kafka unreachable, 2 bad setting."})
final class EndpointsCommand extends OperatorCommand {

    private static final String[] HEADERS = {"ENDPOINT", "TARGET", "FILTERS", "CIRCUIT", "PAUSED", "IN FLIGHT", "WAITING", "DELIVERED",
        "FAILED", "SINKS", "LAST ERROR"};

    EndpointsCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        try (LedgerView ledger = caughtUpLedger(settings); EndpointView endpoints = EndpointView.start(promptClient(settings), settings.topics())) {
            endpoints.awaitCaughtUp(KAFKA_ANSWER_WITHIN);
            List<EndpointView.Overview> all = endpoints.overview(ledger.index(), Instant.now());
            if (all.isEmpty()) {
                out.println("no endpoints yet: no sink has reported one and the ledger has no deliveries");
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            for (EndpointView.Overview e : all) {
                rows.add(new String[] {e.name(), e.target() == null ? "-" : e.target(), filters(e), e.circuit(), e.paused() ? "yes" : "no",
                    Integer.toString(e.inFlight()), e.waiting() + (e.spilled() ? "+" : ""), Long.toString(e.delivered()),
                    Long.toString(e.failed()), Integer.toString(e.liveInstances()),
                    e.lastError() == null ? "-" : e.lastError() + " (" + e.lastErrorAt() + ")"});
            }
            out.print(LedgerTable.render(HEADERS, rows));
            if (all.stream().anyMatch(EndpointView.Overview::spilled)) {
                out.println("+: more deliveries wait in the delivery index, read back as the endpoint drains");
            }
            return 0;
        }
    }

    private static String filters(EndpointView.Overview e) {
        String events = e.events().isEmpty() ? "all events" : String.join(",", e.events());
        String salons = e.salons().isEmpty() ? "all salons" : "salons " + String.join(",", e.salons());
        return events + "; " + salons;
    }
}
