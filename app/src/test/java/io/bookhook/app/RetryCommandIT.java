package io.bookhook.app;

import static io.bookhook.app.OperatorFixture.delivery;
import static io.bookhook.app.OperatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryCommandIT {

    private final OperatorFixture ops = new OperatorFixture();

    @BeforeEach
    void ledger() {
        ops.writeLedger(delivery("5f0c2a9e-failed", "42", EventType.CONFIRMED, DeliveryStatus.FAILED),
                delivery("77aa0000-delivered", "42", EventType.CREATED, DeliveryStatus.DELIVERED));
    }

    @Test
    void should_request_a_retry_of_a_failed_delivery_by_the_prefix_the_table_shows() {
        OperatorFixture.Run run = run(new RetryCommand(ops.environment), "5f0c2a9e");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("retry requested for delivery 5f0c2a9e-failed (appointment 42, confirmed), request ");
        assertThat(ops.requests()).singleElement().satisfies(request -> {
            assertThat(request.action()).isEqualTo(DeliveryRequest.Action.RETRY);
            assertThat(request.deliveryId()).isEqualTo("5f0c2a9e-failed");
            assertThat(run.out()).contains(request.requestId());
        });
    }

    @Test
    void should_refuse_an_unknown_delivery_in_one_line_with_exit_code_1() {
        OperatorFixture.Run run = run(new RetryCommand(ops.environment), "does-not-exist");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("bookhook retry: no delivery 'does-not-exist' in the ledger" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(ops.requests()).isEmpty();
    }

    @Test
    void should_refuse_to_retry_a_delivered_delivery_and_name_the_resend() {
        OperatorFixture.Run run = run(new RetryCommand(ops.environment), "77aa0000-delivered");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).endsWith("to send it again on purpose, bookhook resend 42 --event created" + System.lineSeparator());
        assertThat(ops.requests()).isEmpty();
    }

    @Test
    void should_explain_itself_with_help() {
        OperatorFixture.Run run = run(new RetryCommand(ops.environment), "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: retry", "DELIVERY_ID", "Exit codes: 0 requested");
    }
}
