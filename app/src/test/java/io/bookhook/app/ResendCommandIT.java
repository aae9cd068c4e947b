package io.bookhook.app;

import static io.bookhook.app.OperatorFixture.delivery;
import static io.bookhook.app.OperatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import org.junit.jupiter.api.Test;

class ResendCommandIT {

    private final OperatorFixture ops = new OperatorFixture();

    @Test
    void should_request_a_resend_of_a_delivered_event_on_purpose() {
        ops.writeLedger(delivery("d1", "42", EventType.CONFIRMED, DeliveryStatus.DELIVERED));

        OperatorFixture.Run run = run(new ResendCommand(ops.environment), "42", "--event", "confirmed");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("resend requested for appointment 42 (confirmed, every endpoint whose filters select it), request ");
        assertThat(ops.requests()).singleElement().satisfies(request -> {
            assertThat(request.action()).isEqualTo(DeliveryRequest.Action.RESEND);
            assertThat(request.appointmentId()).isEqualTo("42");
            assertThat(request.eventType()).isEqualTo(EventType.CONFIRMED);
        });
    }

    @Test
    void should_refuse_an_appointment_without_deliveries_and_a_bad_event() {
        ops.writeLedger(delivery("d1", "42", EventType.CREATED, DeliveryStatus.DELIVERED));

        OperatorFixture.Run unknown = run(new ResendCommand(ops.environment), "9");
        OperatorFixture.Run noSuchEvent = run(new ResendCommand(ops.environment), "42", "--event", "confirmed");
        OperatorFixture.Run badEvent = run(new ResendCommand(ops.environment), "42", "--event", "cancelled");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("bookhook resend: no deliveries for appointment '9' in the ledger" + System.lineSeparator());
        assertThat(noSuchEvent.exitCode()).isEqualTo(1);
        assertThat(noSuchEvent.err()).contains("has no confirmed delivery in the ledger (it has: created)");
        assertThat(badEvent.exitCode()).isEqualTo(2);
        assertThat(badEvent.err()).startsWith("unknown event type 'cancelled' (expected created or confirmed)");
        assertThat(ops.requests()).isEmpty();
    }
}
