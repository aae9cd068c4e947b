package io.bookhook.app;

import io.bookhook.ledger.LedgerIndex;
import io.bookhook.ledger.LedgerTable;
import io.bookhook.ledger.LedgerView;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = {"Lists the deliveries in the delivery ledger, newest first.",
                "",
                "Exit codes: 0 listed (even none), 1 Kafka unreachable, 2 bad option or setting."})
final class DeliveriesCommand extends OperatorCommand {

    @Option(names = "--status", paramLabel = "S", description = "Only deliveries in this status: pending, retrying, delivered, failed or skipped.")
    String status;

    @Option(names = "--appointment", paramLabel = "ID", description = "Only deliveries of this appointment.")
    String appointment;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only deliveries to this endpoint.")
    String endpoint;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Show at most the newest N matching deliveries (default: ${DEFAULT-VALUE}, at most " + LedgerIndex.MAX_PAGE + ").")
    int limit;

    DeliveriesCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        DeliveryStatus wanted = parseStatus();
        if (limit < 1 || limit > LedgerIndex.MAX_PAGE) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and " + LedgerIndex.MAX_PAGE + ", got " + limit);
        }
        try (LedgerView ledger = caughtUpLedger(settings)) {
            // One page, not find() then total(): the view keeps following the ledger, and the two numbers printed must agree.
            LedgerIndex.Page page = ledger.index().page(wanted, appointment, endpoint, null, limit);
            List<DeliveryRecord> deliveries = page.deliveries();
            if (deliveries.isEmpty()) {
                out.println("no deliveries" + (wanted == null && appointment == null && endpoint == null ? "" : " match"
                        + (wanted == null ? "" : " --status " + wanted.wireName()) + (appointment == null ? "" : " --appointment " + appointment)
                        + (endpoint == null ? "" : " --endpoint " + endpoint)));
                return 0;
            }
            out.print(LedgerTable.render(deliveries));
            if (page.total() > deliveries.size()) {
                out.println("showing the newest " + deliveries.size() + " of " + page.total() + " deliveries; --limit to see more");
            } else {
                out.println(deliveries.size() + (deliveries.size() == 1 ? " delivery" : " deliveries"));
            }
            return 0;
        }
    }

    private DeliveryStatus parseStatus() {
        if (status == null) {
            return null;
        }
        try {
            return DeliveryStatus.fromWireName(status.strip());
        } catch (IllegalArgumentException e) {
            String known = Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::wireName).collect(Collectors.joining(", "));
            throw new ParameterException(spec.commandLine(), "unknown status '" + status + "' (expected one of " + known + ")");
        }
    }
}
