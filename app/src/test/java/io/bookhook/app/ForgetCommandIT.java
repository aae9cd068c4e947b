package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.WebhookSink;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bookhook forget --customer ID} on the embedded broker with a sink running, which carries the requests out:
 * what it prints, and what the ledger holds afterwards.
 */
class ForgetCommandIT {

    private static final String NL = System.lineSeparator();
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final List<String> ANA = List.of("Ana Example", "ana@example.com", "0912***4567");
    private static final List<String> BO = List.of("Bo Other", "bo@example.com", "0933***1111");

    private final OperatorFixture ops = new OperatorFixture();
    private final ScriptedReceiver receiver = new ScriptedReceiver();
    /** The sink that carries forget's requests out: it owns the ledger's deliveries. */
    private WebhookSink sink;

    @BeforeEach
    void sink() {
        ops.environment.put("MAKE_WEBHOOK_URL", receiver.url().toString());
        ops.environment.put("MAKE_WEBHOOK_SECRET", "forget-secret");
        ops.environment.put("BOOKHOOK_ALLOW_PRIVATE_TARGETS", "true");
        sink = WebhookSink.start(new BookhookSettings(ops.environment).sink());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(sink::isRunning);
    }

    @AfterEach
    void stop() {
        sink.close();
        receiver.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run forget(Map<String, String> environment, String customer, String... options) {
        InProcessCommandLine cli = new InProcessCommandLine();
        List<String> args = new java.util.ArrayList<>(List.of("forget", "--customer", customer));
        args.addAll(List.of(options));
        int exit = cli.run(environment, args.toArray(String[]::new));
        return new Run(exit, cli.out.toString(), cli.err.toString());
    }

    /** The payload derive writes for {@code appointment} booked by customer 7 (Ana) or 8 (Bo); no customer row when it had not arrived. */
    private static ObjectNode payload(String appointment, EventType type, int customer, boolean withCustomerRow) {
        List<String> who = customer == 7 ? ANA : BO;
        ObjectNode payload = Json.mapper().createObjectNode().put("event_type", type.wireName())
                .put("idempotency_key", IdempotencyKey.of(appointment, type).toString()).put("appointment_id", Integer.parseInt(appointment));
        payload.putObject("appointment").put("id", Integer.parseInt(appointment)).put("customer_id", customer).put("salon_id", 1)
                .put("notes", "for " + who.get(0));
        if (withCustomerRow) {
            payload.putObject("customer").put("id", customer).put("name", who.get(0)).put("email", who.get(1)).put("phone", who.get(2));
        } else {
            payload.putNull("customer");
            payload.putArray("missing").add("customer");
        }
        payload.putObject("salon").put("id", 1).put("name", "Salon").put("phone", "0955***0000");
        return payload;
    }

    private static DeliveryRecord record(String id, String endpoint, String appointment, EventType type, DeliveryStatus status,
            ObjectNode payload, long second) {
        return new DeliveryRecord(id, endpoint, IdempotencyKey.of(appointment, type).toString(), type, appointment, status,
                status == DeliveryStatus.PENDING ? 0 : 2, status == DeliveryStatus.RETRYING ? T0.plusSeconds(600) : null,
                status == DeliveryStatus.DELIVERED ? 200 : 503, status == DeliveryStatus.DELIVERED ? null : "HTTP 503",
                status == DeliveryStatus.DELIVERED ? "ok" : "down", DeliveryReason.EVENT, T0, T0.plusSeconds(second), payload);
    }


    /** The ledger topic read to its end: every record, and the latest per key (what compaction keeps). */
    private record Ledger(long records, Map<String, DeliveryRecord> latest) {
    }

    private Ledger readLedger() {
        Map<String, Object> config = Map.of("bootstrap.servers", ops.kafka.bootstrapServers(), "isolation.level", "read_committed");
        try (KafkaConsumer<String, DeliveryRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(DeliveryRecord.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(ops.topics.deliveryLedger()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<String, DeliveryRecord> latest = new HashMap<>();
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).as("read the ledger to its end within 30 s").isLessThan(deadline);
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    latest.put(record.key(), record.value());
                    records++;
                }
            }
            return new Ledger(records, latest);
        }
    }

    private static String text(DeliveryRecord record) {
        return record.payload() == null ? "" : record.payload().toString();
    }

    @Test
    void removes_a_customers_payloads_from_the_final_records_leaves_the_one_under_way_and_is_idempotent() {
        DeliveryRecord createdPending = record("d1", "make", "42", EventType.CREATED, DeliveryStatus.PENDING, payload("42", EventType.CREATED, 7, true), 1);
        DeliveryRecord created = record("d1", "make", "42", EventType.CREATED, DeliveryStatus.DELIVERED, payload("42", EventType.CREATED, 7, true), 2);
        DeliveryRecord confirmedFailed = record("d2", "make", "42", EventType.CONFIRMED, DeliveryStatus.FAILED,
                payload("42", EventType.CONFIRMED, 7, true), 3);
        DeliveryRecord customerRowMissing = record("d3", "make", "43", EventType.CREATED, DeliveryStatus.DELIVERED,
                payload("43", EventType.CREATED, 7, false), 4);
        DeliveryRecord retrying = record("d4", "make", "44", EventType.CREATED, DeliveryStatus.RETRYING, payload("44", EventType.CREATED, 7, true), 5);
        DeliveryRecord strippedAlready = record("d5", "crm", "42", EventType.CREATED, DeliveryStatus.DELIVERED, null, 6);
        DeliveryRecord otherDelivered = record("d6", "make", "50", EventType.CREATED, DeliveryStatus.DELIVERED, payload("50", EventType.CREATED, 8, true), 7);
        DeliveryRecord otherRetrying = record("d7", "make", "51", EventType.CREATED, DeliveryStatus.RETRYING, payload("51", EventType.CREATED, 8, true), 8);
        ops.writeLedger(createdPending, created, confirmedFailed, customerRowMissing, retrying, strippedAlready, otherDelivered, otherRetrying);

        Run first = forget(ops.environment, "7");

        assertThat(first.exit()).as(first.err()).isEqualTo(1);
        assertThat(first.err()).isEmpty();
        assertThat(first.out()).isEqualTo("removed the payload of 3 ledger records naming customer 7 (1 had none already)" + NL
                + "1 ledger record naming customer 7 still under way (pending or retrying), left to the sink, which writes the payload"
                + " again with the next state: d4; run bookhook forget --customer 7 again once it is final"
                + " (check with: bookhook deliveries --status retrying)" + NL);
        Ledger after = readLedger();
        assertThat(after.latest().values()).filteredOn(r -> !r.deliveryId().equals("d4"))
                .allSatisfy(r -> assertThat(text(r)).as(r.deliveryId()).doesNotContain(ANA));
        assertThat(text(after.latest().get("d4"))).contains(ANA);
        assertThat(after.latest()).containsEntry("d1", created.withoutPayload()).containsEntry("d2", confirmedFailed.withoutPayload())
                .containsEntry("d3", customerRowMissing.withoutPayload()).containsEntry("d4", retrying).containsEntry("d5", strippedAlready)
                .containsEntry("d6", otherDelivered).containsEntry("d7", otherRetrying);
        assertThat(text(after.latest().get("d6"))).contains(BO);

        Run again = forget(ops.environment, "7");

        assertThat(again.exit()).as(again.err()).isEqualTo(1);
        assertThat(again.out()).startsWith("removed the payload of 0 ledger records naming customer 7" + NL)
                .contains("1 ledger record naming customer 7 still under way");
        assertThat(readLedger()).as("nothing written again").isEqualTo(after);

        DeliveryRecord retried = record("d4", "make", "44", EventType.CREATED, DeliveryStatus.DELIVERED, payload("44", EventType.CREATED, 7, true), 9);
        ops.writeLedger(retried);

        Run once44IsFinal = forget(ops.environment, "7");

        assertThat(once44IsFinal.exit()).as(once44IsFinal.err()).isZero();
        assertThat(once44IsFinal.out()).isEqualTo("removed the payload of 1 ledger record naming customer 7" + NL);
        assertThat(readLedger().latest().values()).allSatisfy(r -> assertThat(text(r)).as(r.deliveryId()).doesNotContain(ANA))
                .contains(retried.withoutPayload(), otherDelivered, otherRetrying);
    }

    @Test
    void without_a_sink_running_forget_says_its_request_waits_and_the_next_sink_carries_it_out() {
        DeliveryRecord created = record("d1", "make", "42", EventType.CREATED, DeliveryStatus.DELIVERED, payload("42", EventType.CREATED, 7, true), 2);
        ops.writeLedger(created);
        sink.close();

        Run run = forget(ops.environment, "7", "--wait", "1s");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("removed the payload of 0 ledger records naming customer 7" + NL
                + "1 ledger record naming customer 7 not rewritten by the sink within 1s: d1; the sink carries the request out when it"
                + " runs, and leaves a delivery that changed since (retried, replayed) as it is: run bookhook forget --customer 7 again"
                + " to see" + NL);
        assertThat(text(readLedger().latest().get("d1"))).contains(ANA);

        sink = WebhookSink.start(new BookhookSettings(ops.environment).sink());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> readLedger().latest().get("d1").payload() == null);
        assertThat(readLedger().latest().get("d1")).isEqualTo(created.withoutPayload());
    }

    @Test
    void reads_the_customer_columns_from_the_table_mapping() {
        ObjectNode mapped = Json.mapper().createObjectNode();
        mapped.putObject("appointment").put("id", 42).put("client_ref", "C-7").put("customer_id", "other");
        mapped.putObject("customer").put("client_no", "C-7").put("name", "Ana Example");
        ops.writeLedger(record("d1", "make", "42", EventType.CREATED, DeliveryStatus.DELIVERED, mapped, 1));
        Map<String, String> environment = new HashMap<>(ops.environment);
        environment.put("BOOKHOOK_COLUMN_ID_CUSTOMER", "client_no");
        environment.put("BOOKHOOK_COLUMN_CUSTOMER_ID", "client_ref");

        Run run = forget(environment, "C-7");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("removed the payload of 1 ledger record naming customer C-7" + NL);
        assertThat(readLedger().latest().get("d1").payload()).isNull();
    }

    @Test
    void a_customer_without_ledger_records_is_one_line_and_exit_0() {
        ops.writeLedger(record("d1", "make", "42", EventType.CREATED, DeliveryStatus.DELIVERED, payload("42", EventType.CREATED, 7, true), 1));

        Run run = forget(ops.environment, "99");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("no ledger record holds a payload naming customer 99" + NL);
        assertThat(readLedger().records()).isEqualTo(1);
    }

    @Test
    void says_in_one_line_that_kafka_is_unreachable() {
        Run run = forget(ops.unreachable(), "7");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).matches("bookhook forget: Kafka at 127\\.0\\.0\\.1:\\d+ did not answer within 8 s \\(.*\\)\\R");
    }
}
