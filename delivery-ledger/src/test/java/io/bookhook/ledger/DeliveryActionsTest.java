package io.bookhook.ledger;

import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.EventType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of retry and resend, on a plain index; the requests go to a list instead of Kafka. */
class DeliveryActionsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    static Path parent;

    private LedgerIndex index;
    private final List<DeliveryRequest> published = new ArrayList<>();
    private DeliveryActions actions;

    @BeforeEach
    void ledger() {
        index = LedgerIndex.create(parent);
        actions = new DeliveryActions(index,
                request -> {
                    published.add(request);
                    return new RequestPublisher.Submitted(request, 0, published.size() - 1);
                },
                Clock.fixed(NOW, ZoneOffset.UTC));
        index.apply("failed-1", failed("failed-1", "42", EventType.CONFIRMED));
        index.apply("delivered-1", delivered("delivered-1", "42", EventType.CREATED));
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void should_request_a_retry_of_a_failed_delivery_keyed_by_its_appointment() {
        RequestPublisher.Submitted submitted = actions.retry("failed-1");

        assertThat(published).containsExactly(submitted.request());
        DeliveryRequest request = submitted.request();
        assertThat(request.action()).isEqualTo(DeliveryRequest.Action.RETRY);
        assertThat(request.deliveryId()).isEqualTo("failed-1");
        assertThat(request.items()).singleElement().satisfies(item -> {
            assertThat(item.idempotencyKey()).isEqualTo("appointment:42:confirmed");
            assertThat(item.attemptsSoFar()).isEqualTo(3);
            assertThat(item.payload().get("event_type").asText()).isEqualTo("confirmed");
        });
        assertThat(request.appointmentId()).isEqualTo("42");
        assertThat(request.eventType()).isEqualTo(EventType.CONFIRMED);
        assertThat(request.kafkaKey()).isEqualTo("42");
        assertThat(request.requestedAt()).isEqualTo(NOW);
        assertThat(request.requestId()).isNotBlank();
    }

    @Test
    void should_refuse_to_retry_an_unknown_delivery() {
        assertThatThrownBy(() -> actions.retry("nope"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.NOT_FOUND))
                .hasMessage("no delivery 'nope' in the ledger");
        assertThat(published).isEmpty();
    }

    @Test
    void should_refuse_to_retry_what_the_receiver_accepted_and_point_to_resend() {
        assertThatThrownBy(() -> actions.retry("delivered-1"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                .hasMessage("delivery delivered-1 (appointment:42:created) is delivered: the receiver has it already;"
                        + " to send it again on purpose, bookhook resend 42 --event created");
        assertThat(published).isEmpty();
    }

    @Test
    void should_refuse_to_retry_or_resend_a_delivery_whose_payload_has_aged_out_and_say_why() {
        index.apply("aged-1", failed("aged-1", "44", EventType.CREATED).withoutPayload());

        assertThatThrownBy(() -> actions.retry("aged-1"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                .hasMessage("delivery aged-1 (appointment:44:created) has no payload any more: a final record's payload is removed once"
                        + " BOOKHOOK_LEDGER_PAYLOAD_RETENTION has passed, or by bookhook forget; it cannot be retried, but"
                        + " bookhook resend 44 --event created sends the event again, rebuilt from the booking app's rows");
        assertThatThrownBy(() -> actions.resend("44", null))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                .hasMessage("the ledger holds no payload of the created event of appointment '44' to resend: a final record's payload is"
                        + " removed once BOOKHOOK_LEDGER_PAYLOAD_RETENTION has passed, or by bookhook forget; with BOOKHOOK_POSTGRES_HOST and"
                        + " the mapping set, bookhook resend rebuilds it from the booking app's rows");
        assertThat(published).isEmpty();
    }

    @Test
    void should_resend_a_payload_the_ledger_no_longer_holds_rebuilt_from_the_source_in_order_with_those_it_holds() {
        index.apply("aged-created", delivered("aged-created", "45", EventType.CREATED).withoutPayload());
        index.apply("kept-confirmed", delivered("kept-confirmed", "45", EventType.CONFIRMED));
        List<String> asked = new ArrayList<>();
        DeliveryActions withSource = new DeliveryActions(index, request -> {
            published.add(request);
            return new RequestPublisher.Submitted(request, 0, published.size() - 1);
        }, Clock.fixed(NOW, ZoneOffset.UTC), source(asked, List.of(event(45, EventType.CREATED, "rebuilt"), event(45, EventType.CONFIRMED, "rebuilt"))));

        DeliveryRequest request = withSource.resend("45", null).request();

        assertThat(asked).containsExactly("45");
        assertThat(request.items()).extracting(DeliveryRequest.Item::idempotencyKey)
                .containsExactly("appointment:45:created", "appointment:45:confirmed");
        assertThat(request.items().get(0).payload().at("/appointment/notes").asText()).as("created: rebuilt").isEqualTo("rebuilt");
        assertThat(request.items().get(1).payload()).as("confirmed: the ledger's").isEqualTo(index.byDeliveryId("kept-confirmed").orElseThrow().payload());
    }

    @Test
    void should_refuse_a_resend_the_source_cannot_rebuild_any_more_saying_so() {
        index.apply("aged-created", delivered("aged-created", "46", EventType.CREATED).withoutPayload());
        DeliveryActions gone = new DeliveryActions(index, request -> {
            throw new AssertionError("nothing to publish");
        }, Clock.fixed(NOW, ZoneOffset.UTC), source(new ArrayList<>(), List.of()));

        assertThatThrownBy(() -> gone.resend("46", EventType.CREATED))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                .hasMessageEndingWith(", and the test rows have no appointment '46' any more, so it cannot be rebuilt");
    }

    private static PayloadSource source(List<String> asked, List<io.bookhook.schemas.AppointmentEvent> events) {
        return new PayloadSource() {
            @Override
            public List<io.bookhook.schemas.AppointmentEvent> events(String appointmentId) {
                asked.add(appointmentId);
                return events;
            }

            @Override
            public String description() {
                return "the test rows";
            }
        };
    }

    private static io.bookhook.schemas.AppointmentEvent event(long appointment, EventType type, String notes) {
        var row = io.bookhook.schemas.Json.mapper().createObjectNode().put("id", appointment).put("status", type == EventType.CONFIRMED
                ? "confirmed" : "pending").put("notes", notes);
        return new io.bookhook.schemas.AppointmentEvent(type, io.bookhook.schemas.IdempotencyKey.of(appointment, type).toString(), NOW, row,
                null, null, null, null, List.of());
    }

    @Test
    void should_refuse_to_retry_a_delivery_the_sink_is_still_retrying_and_say_when_its_next_attempt_is_due() {
        Instant due = Instant.parse("2026-11-28T12:05:00Z");
        index.apply("retrying-1", failed("retrying-1", "43", EventType.CREATED)
                .next(io.bookhook.schemas.DeliveryStatus.RETRYING, 3, due, 503, "HTTP 503", null, NOW));

        assertThatThrownBy(() -> actions.retry("retrying-1"))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.CONFLICT))
                .hasMessage("delivery retrying-1 (appointment:43:created) is retrying: the sink is still delivering it, one attempt at a"
                        + " time (attempt 4 is due at 2026-11-28T12:05:00Z); retry it once it has failed");
        assertThat(published).isEmpty();
    }

    @Test
    void should_request_a_resend_of_one_event_or_of_all() {
        DeliveryRequest one = actions.resend("42", EventType.CREATED).request();
        DeliveryRequest all = actions.resend("42", null).request();

        assertThat(one.action()).isEqualTo(DeliveryRequest.Action.RESEND);
        assertThat(one.appointmentId()).isEqualTo("42");
        assertThat(one.eventType()).isEqualTo(EventType.CREATED);
        assertThat(all.eventType()).isNull();
        assertThat(one.items()).extracting(DeliveryRequest.Item::idempotencyKey).containsExactly("appointment:42:created");
        assertThat(all.items()).extracting(DeliveryRequest.Item::idempotencyKey)
                .containsExactly("appointment:42:created", "appointment:42:confirmed");
        assertThat(all.items()).allSatisfy(item -> {
            assertThat(item.deliveryId()).isNull();
            assertThat(item.payload().get("idempotency_key").asText()).isEqualTo(item.idempotencyKey());
        });
        assertThat(one.requestId()).isNotEqualTo(all.requestId());
        assertThat(published).containsExactly(one, all);
    }

    @Test
    void should_refuse_to_resend_an_appointment_without_deliveries_or_without_that_event() {
        assertThatThrownBy(() -> actions.resend("7", null))
                .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.NOT_FOUND))
                .hasMessage("no deliveries for appointment '7' in the ledger");
        index.apply("only-created", failed("only-created", "8", EventType.CREATED));
        assertThatThrownBy(() -> actions.resend("8", EventType.CONFIRMED))
                .hasMessage("appointment '8' has no confirmed delivery in the ledger (it has: created)");
        assertThat(published).isEmpty();
    }
}
