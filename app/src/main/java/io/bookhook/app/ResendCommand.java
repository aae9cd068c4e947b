package io.bookhook.app;

import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.PayloadSource;
import io.bookhook.ledger.RequestPublisher;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.EventType;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "resend", mixinStandardHelpOptions = true,
        description = {"Sends an appointment's webhook again on purpose.",
                "",
                "Even when the receiver accepted it before: a new delivery under the same idempotency key, recorded with "
                        + "reason 'resend'. The request goes through the bookhook.delivery-requests topic, so it is carried out "
                        + "even if the sink is not running now.",
                "",
                "When the ledger no longer holds the payload (aged out after BOOKHOOK_LEDGER_PAYLOAD_RETENTION, or erased by "
                        + "bookhook forget) and BOOKHOOK_POSTGRES_HOST is set, the event is rebuilt from the booking app's rows as "
                        + "they are now, the way backfill derives it; otherwise it is refused.",
                "",
                "Exit codes: 0 requested, 1 appointment without deliveries, no payload to send or Kafka unreachable, 2 bad option or setting."})
final class ResendCommand extends OperatorCommand {

    @Parameters(paramLabel = "APPOINTMENT_ID", description = "The appointment whose webhook to send again.")
    String appointmentId;

    @Option(names = "--event", paramLabel = "created|confirmed", description = "Only this event (default: every event of the appointment).")
    String event;

    @Option(names = "--endpoint", paramLabel = "NAME",
            description = "Only to this endpoint (default: every endpoint whose filters select the event).")
    String endpoint;

    ResendCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        EventType eventType = parseEvent();
        try (LedgerView ledger = caughtUpLedger(settings);
                DeliveryRequests requests = new DeliveryRequests(promptClient(settings), settings.topics().deliveryRequests())) {
            RebuildNoted source = PostgresPayloadSource.of(settings).map(RebuildNoted::new).orElse(null);
            RequestPublisher.Submitted submitted = new DeliveryActions(ledger.index(), requests, Clock.systemUTC(), source)
                    .resend(appointmentId, eventType, endpoint);
            DeliveryRequest request = submitted.request();
            out.println("resend requested for appointment " + request.appointmentId() + " ("
                    + (eventType == null ? "every event" : eventType.wireName()) + ", "
                    + (endpoint == null ? "every endpoint whose filters select it" : "endpoint " + endpoint) + "), request " + request.requestId());
            if (source != null && source.used) {
                out.println("the ledger no longer held its payload: rebuilt from " + source.description() + " as the rows are now");
            }
            out.println("the sink carries it out; follow it with: bookhook deliveries --appointment " + request.appointmentId());
            return 0;
        }
    }

    /** The source, noting whether the resend needed it, so the operator is told the payload is today's rows. */
    private static final class RebuildNoted implements PayloadSource {
        private final PayloadSource source;
        private boolean used;

        RebuildNoted(PayloadSource source) {
            this.source = source;
        }

        @Override
        public List<AppointmentEvent> events(String appointmentId) {
            used = true;
            return source.events(appointmentId);
        }

        @Override
        public String description() {
            return source.description();
        }
    }

    private EventType parseEvent() {
        if (event == null) {
            return null;
        }
        try {
            return EventType.fromWireName(event.strip().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
