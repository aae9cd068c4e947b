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

    @Test
    void an_event_whose_payload_aged_out_is_rebuilt_from_the_booking_apps_rows_as_they_are_now_or_refused_when_they_are_gone()
            throws Exception {
        var stack = io.bookhook.embedded.SharedEmbeddedStack.get();
        String database = ops.prefix + "_db";
        String jdbcUrl = stack.postgres().createReferenceDatabase(database);
        try (var connection = java.sql.DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
                var statement = connection.createStatement()) {
            statement.execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')");
            statement.execute("INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)");
            statement.execute("INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");
            statement.execute("INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at, status, created_at)"
                    + " VALUES (1, 1, 1, timestamptz '2026-02-01 10:00+00', timestamptz '2026-02-01 10:45+00', 'confirmed',"
                    + " timestamptz '2026-01-01 00:00+00')");
        }
        ops.writeLedger(delivery("d1", "1", EventType.CREATED, DeliveryStatus.DELIVERED).withoutPayload(),
                delivery("d2", "1", EventType.CONFIRMED, DeliveryStatus.DELIVERED).withoutPayload(),
                delivery("d3", "2", EventType.CREATED, DeliveryStatus.DELIVERED).withoutPayload());

        OperatorFixture.Run withoutPostgres = run(new ResendCommand(ops.environment), "1");
        assertThat(withoutPostgres.exitCode()).isEqualTo(1);
        assertThat(withoutPostgres.err()).contains("the ledger holds no payload of the created and confirmed event of appointment '1' to resend")
                .contains("with BOOKHOOK_POSTGRES_HOST and the mapping set, bookhook resend rebuilds it");

        java.util.Map<String, String> environment = new java.util.HashMap<>(ops.environment);
        environment.put("BOOKHOOK_POSTGRES_HOST", stack.postgres().host());
        environment.put("BOOKHOOK_POSTGRES_PORT", Integer.toString(stack.postgres().port()));
        environment.put("BOOKHOOK_POSTGRES_DB", database);
        environment.put("BOOKHOOK_POSTGRES_USER", stack.postgres().user());
        environment.put("BOOKHOOK_POSTGRES_PASSWORD", stack.postgres().password());
        OperatorFixture.Run rebuilt = run(new ResendCommand(environment), "1");
        OperatorFixture.Run gone = run(new ResendCommand(environment), "2");

        assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out()).contains("the ledger no longer held its payload: rebuilt from the booking app's rows in Postgres");
        assertThat(ops.requests()).singleElement().satisfies(request -> {
            assertThat(request.appointmentId()).isEqualTo("1");
            assertThat(request.items()).extracting(DeliveryRequest.Item::idempotencyKey)
                    .containsExactly("appointment:1:created", "appointment:1:confirmed");
            assertThat(request.items()).allSatisfy(item -> {
                assertThat(item.payload().at("/customer/name").asText()).isEqualTo("Mei");
                assertThat(item.payload().at("/customer/phone").asText()).as("masked as derive masks it").isNotEqualTo("0912-345-4567")
                        .endsWith("4567");
                assertThat(item.payload().at("/appointment/status").asText()).isEqualTo("confirmed");
            });
        });
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("and the booking app's rows in Postgres").contains("have no appointment '2' any more");
    }
}
