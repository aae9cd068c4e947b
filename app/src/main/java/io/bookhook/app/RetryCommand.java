package io.bookhook.app;

import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.RequestPublisher;
import io.bookhook.schemas.DeliveryRequest;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Asks the sink to attempt one delivery again.",
                "",
                "The sink posts the delivery's stored payload under its idempotency key. The request goes through the "
                        + "bookhook.delivery-requests topic, so it is carried out even if the sink is not running now. "
                        + "A delivery the receiver already accepted is refused: send it again on purpose with 'bookhook resend'.",
                "",
                "Exit codes: 0 requested, 1 unknown or refused delivery or Kafka unreachable, 2 bad argument or setting."})
final class RetryCommand extends OperatorCommand {

    @Parameters(paramLabel = "DELIVERY_ID", description = "The delivery id, or a unique prefix of it (as 'bookhook deliveries' shows).")
    String deliveryId;

    RetryCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        try (LedgerView ledger = caughtUpLedger(settings);
                DeliveryRequests requests = new DeliveryRequests(promptClient(settings), settings.topics().deliveryRequests())) {
            RequestPublisher.Submitted submitted = new DeliveryActions(ledger.index(), requests, Clock.systemUTC()).retry(deliveryId);
            DeliveryRequest request = submitted.request();
            out.println("retry requested for delivery " + request.deliveryId() + " (appointment " + request.appointmentId()
                    + ", " + (request.eventType() == null ? "?" : request.eventType().wireName()) + "), request " + request.requestId());
            out.println("the sink carries it out; follow it with: bookhook deliveries --appointment " + request.appointmentId());
            return 0;
        }
    }
}
