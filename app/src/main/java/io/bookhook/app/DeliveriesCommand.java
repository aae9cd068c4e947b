package io.bookhook.app;

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

    DeliveriesCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        DeliveryStatus wanted = parseStatus();
        try (LedgerView ledger = caughtUpLedger(settings)) {
            List<DeliveryRecord> deliveries = ledger.index().find(wanted, appointment, endpoint);
            if (deliveries.isEmpty()) {
                out.println("no deliveries" + (wanted == null && appointment == null && endpoint == null ? "" : " match"
                        + (wanted == null ? "" : " --status " + wanted.wireName()) + (appointment == null ? "" : " --appointment " + appointment)
                        + (endpoint == null ? "" : " --endpoint " + endpoint)));
                return 0;
            }
            out.print(LedgerTable.render(deliveries));
            out.println(deliveries.size() + (deliveries.size() == 1 ? " delivery" : " deliveries"));
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
