package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.CustomerErasure;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.LedgerWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true,
        description = {"Removes a customer's data from the delivery ledger.",
                "",
                "Rewrites the latest ledger record of every delivery whose payload names the customer (the customer row's id "
                        + "column, or the appointment's customer column, as the table mapping names them) without its payload; "
                        + "status, attempts, response and times stay. Deliveries still pending or retrying are left to the sink, "
                        + "which writes their payload again with their next state: run forget again once they are final. "
                        + "The raw change topics, the events topic and dead letters are not rewritten (see the README, "
                        + "Data protection).",
                "",
                "Exit codes: 0 done (or no ledger record names the customer), 1 some deliveries of the customer still under "
                        + "way or Kafka unreachable, 2 bad option or setting."})
final class ForgetCommand extends OperatorCommand {

    /** Enough ids to find them with 'bookhook deliveries'; a line an operator can still read. */
    private static final int IDS_SHOWN = 10;

    @Option(names = "--customer", paramLabel = "ID", required = true,
            description = "The customer's id, as the customer table's id column holds it.")
    String customerId;

    ForgetCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        TableMapping mapping = settings.tableMapping();
        CustomerErasure.CustomerColumns columns = new CustomerErasure.CustomerColumns(mapping.idColumnOf(mapping.customerTable()),
                mapping.customerIdColumn());
        CustomerErasure.Result result;
        try (LedgerView ledger = caughtUpLedger(settings);
                LedgerWriter writer = new LedgerWriter(promptClient(settings), settings.topics().deliveryLedger())) {
            result = new CustomerErasure(ledger.index(), writer, columns).forget(customerId);
        }
        String customer = "customer " + result.customerId();
        if (result.nothingFound()) {
            out.println("no ledger record holds a payload naming " + customer);
            return 0;
        }
        out.println("removed the payload of " + records(result.rewritten().size()) + " naming " + customer
                + (result.alreadyWithoutPayload().isEmpty() ? "" : " (" + result.alreadyWithoutPayload().size() + " had none already)"));
        if (result.underWay().isEmpty()) {
            return 0;
        }
        List<String> underWay = result.underWay();
        out.println(records(underWay.size()) + " naming " + customer + " still under way (pending or retrying), left to the sink, which "
                + "writes the payload again with the next state: " + ids(underWay) + "; run bookhook forget --customer "
                + result.customerId() + " again once " + (underWay.size() == 1 ? "it is" : "they are")
                + " final (check with: bookhook deliveries --status retrying)");
        return OneLineErrors.FAILURE;
    }

    private static String records(int count) {
        return count + (count == 1 ? " ledger record" : " ledger records");
    }

    private static String ids(List<String> ids) {
        String shown = String.join(", ", ids.subList(0, Math.min(IDS_SHOWN, ids.size())));
        return ids.size() > IDS_SHOWN ? shown + " and " + (ids.size() - IDS_SHOWN) + " more" : shown;
    }
}
