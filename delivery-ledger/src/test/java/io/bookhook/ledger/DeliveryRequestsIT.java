package io.bookhook.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeliveryRequestsIT {

    private final BrokerFixture broker = new BrokerFixture();

    @Test
    void should_store_a_request_keyed_by_its_appointment_before_returning() {
        DeliveryRecord confirmed = Deliveries.delivered("d-42", "42", EventType.CONFIRMED);
        DeliveryRequest resend = DeliveryRequest.resend("r1", "42", EventType.CONFIRMED,
                List.of(new DeliveryRequest.Item(null, null, confirmed.idempotencyKey(), 0, confirmed.payload())), Instant.parse("2026-11-28T12:00:00Z"));
        RequestPublisher.Submitted submitted;
        try (DeliveryRequests requests = new DeliveryRequests(broker.client(), broker.topics.deliveryRequests())) {
            submitted = requests.publish(resend);
        }

        List<ConsumerRecord<String, DeliveryRequest>> stored = broker.requests();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo("42");
        assertThat(stored.get(0).value()).isEqualTo(resend);
        assertThat(stored.get(0).partition()).isEqualTo(submitted.partition());
        assertThat(stored.get(0).offset()).isEqualTo(submitted.offset());
    }

    @Test
    void should_fail_in_seconds_with_one_line_when_kafka_is_unreachable() {
        String nobody = "127.0.0.1:" + LedgerViewIT.closedPort();
        long start = System.nanoTime();
        try (DeliveryRequests requests = new DeliveryRequests(Map.of("bootstrap.servers", nobody, "max.block.ms", "2000"),
                broker.topics.deliveryRequests())) {
            assertThatThrownBy(() -> requests.publish(DeliveryRequest.retry("r2", Deliveries.failed("d1", "1", EventType.CREATED), Instant.now())))
                    .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.kind()).isEqualTo(OperatorException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith("the request was not accepted by Kafka at " + nobody);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
