package io.bookhook.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerErasureTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final CustomerErasure.CustomerColumns REFERENCE = new CustomerErasure.CustomerColumns("id", "customer_id");

    @TempDir
    Path parent;

    private LedgerIndex ledger;
    private final List<DeliveryRecord> written = new ArrayList<>();
    private final List<io.bookhook.schemas.DeliveryRequest> requests = new ArrayList<>();

    private LedgerIndex ledger(DeliveryRecord... records) {
        ledger = LedgerIndex.create(parent);
        for (DeliveryRecord record : records) {
            ledger.apply(record.deliveryId(), record);
        }
        return ledger;
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private CustomerErasure.Result forget(CustomerErasure.CustomerColumns columns, String customer, DeliveryRecord... records) {
        return new CustomerErasure(ledger(records), request -> {
            requests.add(request);
            request.items().forEach(item -> written.add(item.forgotten()));
            return new RequestPublisher.Submitted(request, 0, requests.size() - 1);
        }, columns, java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC)).forget(customer);
    }

    /** A reference-schema payload of {@code appointment} booked by {@code customer} (null: its row had not arrived). */
    private static ObjectNode payload(String appointment, Integer customer) {
        ObjectNode payload = Json.mapper().createObjectNode().put("event_type", "created");
        payload.putObject("appointment").put("id", Integer.parseInt(appointment)).put("customer_id", customer).put("status", "pending");
        if (customer == null) {
            payload.putNull("customer");
        } else {
            payload.putObject("customer").put("id", customer).put("name", "Customer " + customer)
                    .put("email", "c" + customer + "@example.com").put("phone", "0912***4567");
        }
        return payload;
    }

    /** A record with every field set, so a test sees any field a rewrite would lose. */
    private static DeliveryRecord record(String id, String appointment, DeliveryStatus status, ObjectNode payload) {
        return new DeliveryRecord(id, "crm", IdempotencyKey.of(appointment, EventType.CREATED).toString(), EventType.CREATED, appointment,
                status, 4, status == DeliveryStatus.RETRYING ? T0.plusSeconds(60) : null, 503, "HTTP 503", "receiver down",
                DeliveryReason.REPLAY, T0, T0.plusSeconds(30), payload);
    }


    @Test
    void rewrites_the_final_records_naming_the_customer_without_their_payload_and_every_other_field_unchanged() {
        DeliveryRecord delivered = record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7));
        DeliveryRecord failed = record("d2", "43", DeliveryStatus.FAILED, payload("43", 7));
        DeliveryRecord skipped = record("d3", "42", DeliveryStatus.SKIPPED, payload("42", 7));

        CustomerErasure.Result result = forget(REFERENCE, "7", delivered, failed, skipped);

        assertThat(result.requested()).containsExactlyInAnyOrder("d1", "d2", "d3");
        assertThat(written).containsExactlyInAnyOrder(delivered.withoutPayload(), failed.withoutPayload(), skipped.withoutPayload());
        assertThat(requests).as("one forget request per appointment, keyed by it, so the sink that owns it carries it out")
                .extracting(io.bookhook.schemas.DeliveryRequest::action, io.bookhook.schemas.DeliveryRequest::kafkaKey)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple(io.bookhook.schemas.DeliveryRequest.Action.FORGET, "42"),
                        org.assertj.core.api.Assertions.tuple(io.bookhook.schemas.DeliveryRequest.Action.FORGET, "43"));
        assertThat(written).allSatisfy(record -> assertThat(record.payload()).isNull());
        assertThat(result.alreadyWithoutPayload()).isEmpty();
        assertThat(result.underWay()).isEmpty();
        assertThat(result.nothingFound()).isFalse();
    }

    @Test
    void finds_the_customer_by_the_appointments_customer_column_when_the_customer_row_is_missing() {
        ObjectNode missingCustomer = payload("42", null);
        ((ObjectNode) missingCustomer.get("appointment")).put("customer_id", 7);

        CustomerErasure.Result result = forget(REFERENCE, "7", record("d1", "42", DeliveryStatus.DELIVERED, missingCustomer));

        assertThat(result.requested()).containsExactly("d1");
    }

    @Test
    void reads_the_columns_the_mapping_names_and_not_the_reference_schemas() {
        ObjectNode mapped = Json.mapper().createObjectNode();
        mapped.putObject("appointment").put("booking_no", 42).put("client_ref", "C-7");
        mapped.putObject("customer").put("client_no", "C-7").put("name", "Ana");
        ObjectNode mappedByAppointment = Json.mapper().createObjectNode();
        mappedByAppointment.putObject("appointment").put("booking_no", 43).put("client_ref", "C-7");
        mappedByAppointment.putNull("customer");
        // Columns called id and customer_id that the mapping does not name are not the customer's key.
        ObjectNode otherWithReferenceNames = Json.mapper().createObjectNode();
        otherWithReferenceNames.putObject("appointment").put("customer_id", "C-7").put("client_ref", "C-8");
        otherWithReferenceNames.putObject("customer").put("id", "C-7").put("client_no", "C-8");

        CustomerErasure.Result result = forget(new CustomerErasure.CustomerColumns("client_no", "client_ref"), "C-7",
                record("d1", "42", DeliveryStatus.DELIVERED, mapped), record("d2", "43", DeliveryStatus.DELIVERED, mappedByAppointment),
                record("d3", "44", DeliveryStatus.DELIVERED, otherWithReferenceNames));

        assertThat(result.requested()).containsExactlyInAnyOrder("d1", "d2");
    }

    @Test
    void leaves_other_customers_records_alone() {
        DeliveryRecord other = record("d2", "50", DeliveryStatus.DELIVERED, payload("50", 8));
        // 17 and 70 contain a 7: the id is compared whole.
        DeliveryRecord seventeen = record("d3", "51", DeliveryStatus.DELIVERED, payload("51", 17));
        DeliveryRecord seventy = record("d4", "52", DeliveryStatus.DELIVERED, payload("52", 70));

        CustomerErasure.Result result = forget(REFERENCE, "7", record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7)), other,
                seventeen, seventy);

        assertThat(result.requested()).containsExactly("d1");
        assertThat(written).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
        assertThat(ledger.byDeliveryId("d2")).contains(other);
        assertThat(ledger.byDeliveryId("d3")).contains(seventeen);
        assertThat(ledger.byDeliveryId("d4")).contains(seventy);
    }

    @Test
    void leaves_records_still_under_way_to_their_sink_and_names_them() {
        CustomerErasure.Result result = forget(REFERENCE, "7",
                record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7)),
                record("d2", "43", DeliveryStatus.RETRYING, payload("43", 7)),
                record("d3", "44", DeliveryStatus.PENDING, payload("44", 7)));

        assertThat(result.requested()).containsExactly("d1");
        assertThat(result.underWay()).containsExactlyInAnyOrder("d2", "d3");
        assertThat(written).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
    }

    @Test
    void counts_the_records_of_the_customers_appointments_that_have_no_payload_already() {
        DeliveryRecord stripped = record("d2", "42", DeliveryStatus.DELIVERED, payload("42", 7)).withoutPayload();
        DeliveryRecord otherAppointmentStripped = record("d3", "50", DeliveryStatus.DELIVERED, payload("50", 8)).withoutPayload();

        CustomerErasure.Result result = forget(REFERENCE, "7", record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7)), stripped,
                otherAppointmentStripped);

        assertThat(result.requested()).containsExactly("d1");
        assertThat(result.alreadyWithoutPayload()).containsExactly("d2");
        assertThat(written).extracting(DeliveryRecord::deliveryId).containsExactly("d1");
    }

    @Test
    void matches_an_id_written_as_a_number_or_as_text_and_ignores_surrounding_blanks() {
        ObjectNode asText = payload("43", null);
        ((ObjectNode) asText.get("appointment")).put("customer_id", "7");

        CustomerErasure.Result result = forget(REFERENCE, " 7 ", record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7)),
                record("d2", "43", DeliveryStatus.DELIVERED, asText));

        assertThat(result.customerId()).isEqualTo("7");
        assertThat(result.requested()).containsExactlyInAnyOrder("d1", "d2");
    }

    @Test
    void a_customer_the_ledger_does_not_name_writes_nothing() {
        CustomerErasure.Result result = forget(REFERENCE, "9", record("d1", "42", DeliveryStatus.DELIVERED, payload("42", 7)));

        assertThat(result.nothingFound()).isTrue();
        assertThat(written).isEmpty();
    }

    @Test
    void an_empty_customer_id_is_refused() {
        assertThatThrownBy(() -> forget(REFERENCE, " ")).isInstanceOf(OperatorException.class).hasMessage("the customer id is empty");
    }
}
