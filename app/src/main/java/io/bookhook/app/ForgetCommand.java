package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.CustomerErasure;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.LedgerView;
import io.bookhook.schemas.DeliveryRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
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
                        + "The sink that owns each delivery does the rewrite, asked like a retry, and only if the delivery has not "
                        + "changed since; forget waits for it (--wait). "
                        + "The raw change topics, the events topic and dead letters are not rewritten (see the README, "
                        + "Data protection).",
                "",
                "Exit codes: 0 done (or no ledger record names the customer), 1 some deliveries of the customer still under "
                        + "way or not rewritten within --wait (no sink running?), or Kafka unreachable, 2 bad option or setting."})
final class ForgetCommand extends OperatorCommand {

    /** Enough ids to find them with 'bookhook deliveries'; a line an operator can still read. */
    private static final int IDS_SHOWN = 10;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "How long to wait for the sink to rewrite the records (default: ${DEFAULT-VALUE}).")
    Duration waitForSink;

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
        try (LedgerView ledger = caughtUpLedger(settings);
                DeliveryRequests requests = new DeliveryRequests(promptClient(settings), settings.topics().deliveryRequests())) {
            CustomerErasure.Result result = new CustomerErasure(ledger.index(), requests, columns, Clock.systemUTC()).forget(customerId);
            String customer = "customer " + result.customerId();
            if (result.nothingFound()) {
                out.println("no ledger record holds a payload naming " + customer);
                return 0;
            }
            List<String> notDone = awaitWithoutPayload(ledger, result.requested());
            int done = result.requested().size() - notDone.size();
            out.println("removed the payload of " + records(done) + " naming " + customer
                    + (result.alreadyWithoutPayload().isEmpty() ? "" : " (" + result.alreadyWithoutPayload().size() + " had none already)"));
            boolean complete = true;
            if (!notDone.isEmpty()) {
                complete = false;
                out.println(records(notDone.size()) + " naming " + customer + " not rewritten by the sink within " + Durations.format(waitForSink)
                        + ": " + ids(notDone) + "; the sink carries the request out when it runs, and leaves a delivery that changed"
                        + " since (retried, replayed) as it is: run bookhook forget --customer " + result.customerId() + " again to see");
            }
            if (!result.underWay().isEmpty()) {
                complete = false;
                List<String> underWay = result.underWay();
                out.println(records(underWay.size()) + " naming " + customer + " still under way (pending or retrying), left to the sink, which "
                        + "writes the payload again with the next state: " + ids(underWay) + "; run bookhook forget --customer "
                        + result.customerId() + " again once " + (underWay.size() == 1 ? "it is" : "they are")
                        + " final (check with: bookhook deliveries --status retrying)");
            }
            return complete ? 0 : OneLineErrors.FAILURE;
        }
    }

    /** Waits until the ledger shows {@code ids} without payload, at most {@link #waitForSink}; returns those it does not. */
    private List<String> awaitWithoutPayload(LedgerView ledger, List<String> ids) {
        long deadline = System.nanoTime() + waitForSink.toNanos();
        List<String> left = ids;
        while (true) {
            left = left.stream().filter(id -> ledger.index().byDeliveryId(id).map(DeliveryRecord::hasPayload).orElse(true)).toList();
            if (left.isEmpty() || System.nanoTime() - deadline > 0) {
                return left;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        }
    }

    private static String records(int count) {
        return count + (count == 1 ? " ledger record" : " ledger records");
    }

    private static String ids(List<String> ids) {
        String shown = String.join(", ", ids.subList(0, Math.min(IDS_SHOWN, ids.size())));
        return ids.size() > IDS_SHOWN ? shown + " and " + (ids.size() - IDS_SHOWN) + " more" : shown;
    }
}
