package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.embedded.TopicReader;
import io.bookhook.ledger.LedgerReader;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.DeliveryReason;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EndpointReport;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.WebhookSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator commands against a real sink on the real broker, as an operator would use them. */
class OperationsWithSinkIT {

    private static final Instant DAY_BEFORE = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant DAY = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final OperatorFixture fixture = new OperatorFixture();
    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private WebhookSink sink;

    @BeforeEach
    void environment() {
        fixture.environment.put("MAKE_WEBHOOK_URL", receiver.url().toString());
        fixture.environment.put("MAKE_WEBHOOK_SECRET", "ops-secret");
        fixture.environment.put("BOOKHOOK_ALLOW_PRIVATE_TARGETS", "true");
        fixture.environment.put("BOOKHOOK_RETRY_MAX_ATTEMPTS", "1");
    }

    @AfterEach
    void stop() {
        stopSink();
        receiver.close();
    }

    @Test
    void retry_of_a_failed_delivery_after_the_receiver_recovered_delivers_it() {
        IdempotencyKey key = IdempotencyKey.of(11, EventType.CREATED);
        receiver.answer(key.toString(), 503);
        startSink();
        produceEvent(key, DAY);
        DeliveryRecord failed = awaitLedger(key, DeliveryStatus.FAILED);

        receiver.recover();
        OperatorFixture.Run retry = OperatorFixture.run(new RetryCommand(fixture.environment), failed.deliveryId().substring(0, 8));

        assertThat(retry.exitCode()).as(retry.err()).isZero();
        DeliveryRecord delivered = awaitLedger(key, DeliveryStatus.DELIVERED);
        assertThat(delivered.deliveryId()).isEqualTo(failed.deliveryId());
        assertThat(delivered.reason()).isEqualTo(DeliveryReason.RETRY);
        assertThat(receiver.posts()).extracting(ScriptedReceiver.Post::attempt).containsExactly("1", "2");
    }

    @Test
    void resend_while_the_sink_is_stopped_is_delivered_once_it_starts() throws Exception {
        IdempotencyKey key = IdempotencyKey.of(12, EventType.CREATED);
        startSink();
        produceEvent(key, DAY);
        DeliveryRecord original = awaitLedger(key, DeliveryStatus.DELIVERED);
        stopSink();

        OperatorFixture.Run resend = OperatorFixture.run(new ResendCommand(fixture.environment), "12", "--event", "created");
        assertThat(resend.exitCode()).as(resend.err()).isZero();
        assertThat(TopicReader.readAtLeast(fixture.kafka.bootstrapServers(), fixture.topics.deliveryRequests(), 1, new StringDeserializer(),
                new StringDeserializer(), WAIT)).as("the request waits, stored, for a sink").hasSize(1);

        startSink();
        await().atMost(WAIT).until(() -> receiver.postsFor(key.toString()) == 2);
        ScriptedReceiver.Post again = receiver.posts().get(1);
        assertThat(again.deliveryId()).isNotEqualTo(original.deliveryId());
        DeliveryRecord resent = await().atMost(WAIT).until(() -> ledger().get(again.deliveryId()),
                record -> record != null && record.status() == DeliveryStatus.DELIVERED);
        assertThat(resent.reason()).isEqualTo(DeliveryReason.RESEND);
        assertThat(resent.idempotencyKey()).isEqualTo(key.toString());
    }

    @Test
    void replay_of_a_day_reposts_only_what_failed_that_day() {
        replayScenario(() -> {
            OperatorFixture.Run replay = OperatorFixture.run(new ReplayCommand(fixture.environment), "--since", "2026-11-27");
            assertThat(replay.exitCode()).as(replay.err()).isZero();
        });
    }

    @Test
    void replay_with_kafkas_own_consumer_group_tool_behaves_the_same() {
        replayScenario(() -> {
            int exit = kafkaConsumerGroups("--bootstrap-server", fixture.kafka.bootstrapServers(), "--group", fixture.sinkGroup,
                    "--topic", fixture.topics.appointmentEvents(), "--reset-offsets", "--to-datetime", "2026-11-27T00:00:00.000",
                    "--execute");
            assertThat(exit).isZero();
        });
    }

    /** A day before and the day itself each hold one delivered and one failed event; only the day's failed one goes out again. */
    private void replayScenario(Runnable resetOffsets) {
        IdempotencyKey oldDelivered = IdempotencyKey.of(21, EventType.CREATED);
        IdempotencyKey oldFailed = IdempotencyKey.of(22, EventType.CREATED);
        IdempotencyKey dayDelivered = IdempotencyKey.of(23, EventType.CREATED);
        IdempotencyKey dayFailed = IdempotencyKey.of(24, EventType.CREATED);
        receiver.answer(oldFailed.toString(), 500);
        receiver.answer(dayFailed.toString(), 500);
        startSink();
        produceEvent(oldDelivered, DAY_BEFORE);
        produceEvent(oldFailed, DAY_BEFORE);
        produceEvent(dayDelivered, DAY);
        produceEvent(dayFailed, DAY);
        awaitLedger(dayFailed, DeliveryStatus.FAILED);
        awaitLedger(oldFailed, DeliveryStatus.FAILED);
        awaitLedger(dayDelivered, DeliveryStatus.DELIVERED);
        awaitLedger(oldDelivered, DeliveryStatus.DELIVERED);
        stopSink();
        receiver.recover();
        int postsBefore = receiver.posts().size();

        resetOffsets.run();
        startSink();

        awaitLedger(dayFailed, DeliveryStatus.DELIVERED);
        await().atMost(WAIT).until(() -> ledger().values().stream().anyMatch(r -> r.status() == DeliveryStatus.SKIPPED
                && r.idempotencyKey().equals(dayDelivered.toString())));
        List<String> reposted = receiver.posts().subList(postsBefore, receiver.posts().size()).stream()
                .map(ScriptedReceiver.Post::idempotencyKey).toList();
        assertThat(reposted).containsExactly(dayFailed.toString());
        assertThat(latest(oldFailed).status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void pause_holds_an_endpoints_deliveries_resume_delivers_them_once_and_endpoints_shows_it_all() {
        IdempotencyKey first = IdempotencyKey.of(21, EventType.CREATED);
        IdempotencyKey held = IdempotencyKey.of(22, EventType.CREATED);
        startSink();
        produceEvent(first, DAY);
        awaitLedger(first, DeliveryStatus.DELIVERED);
        await().atMost(WAIT).until(() -> endpointRow("make"), row -> row != null && row.get("CIRCUIT").equals("closed")
                && row.get("DELIVERED").equals("1") && row.get("SINKS").equals("1"));

        OperatorFixture.Run pause = OperatorFixture.run(new PauseCommand(fixture.environment), "make");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(pause.out()).startsWith("endpoint make paused");
        // The sink reads the pause and the events from different topics: an event may overtake the pause until it is in effect.
        await().atMost(WAIT).until(() -> sinkReportsPaused("make"));
        produceEvent(held, DAY);
        Map<String, String> paused = await().atMost(WAIT).until(() -> endpointRow("make"),
                row -> row != null && row.get("PAUSED").equals("yes") && row.get("WAITING").startsWith("1"));
        assertThat(paused.get("IN FLIGHT")).isEqualTo("0");
        assertThat(receiver.postsFor(held.toString())).as("nothing posted while paused").isZero();

        OperatorFixture.Run resume = OperatorFixture.run(new ResumeCommand(fixture.environment), "make");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        awaitLedger(held, DeliveryStatus.DELIVERED);
        assertThat(receiver.postsFor(held.toString())).isEqualTo(1);
        assertThat(receiver.postsFor(first.toString())).isEqualTo(1);

        OperatorFixture.Run mine = OperatorFixture.run(new DeliveriesCommand(fixture.environment), "--endpoint", "make");
        assertThat(mine.out()).contains(first.toString(), held.toString(), "2 deliveries");
        assertThat(OperatorFixture.run(new DeliveriesCommand(fixture.environment), "--endpoint", "crm").out())
                .isEqualTo("no deliveries match --endpoint crm" + System.lineSeparator());
        assertThat(OperatorFixture.run(new PauseCommand(fixture.environment), "CRM!").exitCode()).as("a bad name").isEqualTo(2);
    }

    /** Whether the sink's latest report on {@code bookhook.endpoint-status} says it holds {@code endpoint} paused. */
    private boolean sinkReportsPaused(String endpoint) {
        List<ConsumerRecord<String, EndpointReport>> reports = TopicReader.readAtLeast(fixture.kafka.bootstrapServers(),
                fixture.topics.endpointStatus(), 0, new StringDeserializer(), JsonSerde.of(EndpointReport.class).deserializer(), Duration.ZERO);
        return reports.stream().map(ConsumerRecord::value).filter(report -> report.endpoint().equals(endpoint))
                .max(java.util.Comparator.comparing(EndpointReport::reportedAt)).map(EndpointReport::paused).orElse(false);
    }

    /** The row of `bookhook endpoints` for {@code name}, by column; null when it is not listed. */
    private Map<String, String> endpointRow(String name) {
        OperatorFixture.Run run = OperatorFixture.run(new EndpointsCommand(fixture.environment));
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\\R");
        List<String> headers = List.of(lines[0].trim().split("\\s{2,}"));
        for (String line : lines) {
            List<String> cells = List.of(line.trim().split("\\s{2,}"));
            if (cells.get(0).equals(name) && cells.size() >= headers.size() - 1) {
                Map<String, String> row = new java.util.HashMap<>();
                for (int c = 0; c < Math.min(headers.size(), cells.size()); c++) {
                    row.put(headers.get(c), cells.get(c));
                }
                return row;
            }
        }
        return null;
    }

    private void startSink() {
        sink = WebhookSink.start(new BookhookSettings(fixture.environment).sink());
    }

    private void stopSink() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
    }

    private void produceEvent(IdempotencyKey key, Instant committedAt) {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", Long.parseLong(key.appointmentId())).put("status", "pending");
        AppointmentEvent event = new AppointmentEvent(key.eventType(), key.toString(), committedAt, appointment, null, null, null, null,
                List.of());
        try (KafkaProducer<String, AppointmentEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                fixture.kafka.bootstrapServers()), new StringSerializer(), JsonSerde.of(AppointmentEvent.class).serializer())) {
            producer.send(new ProducerRecord<>(fixture.topics.appointmentEvents(), null, committedAt.toEpochMilli(), key.toString(), event))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, DeliveryRecord> ledger() {
        return new LedgerReader(Map.of("bootstrap.servers", fixture.kafka.bootstrapServers()), fixture.topics.deliveryLedger())
                .snapshot(Duration.ofSeconds(5));
    }

    /** The record of the event's own delivery (reason event or retry), as the ledger holds it now. */
    private DeliveryRecord latest(IdempotencyKey key) {
        return ledger().values().stream()
                .filter(r -> r.idempotencyKey().equals(key.toString()) && r.status() != DeliveryStatus.SKIPPED)
                .filter(r -> r.reason() != DeliveryReason.RESEND)
                .reduce((a, b) -> b).orElse(null);
    }

    private DeliveryRecord awaitLedger(IdempotencyKey key, DeliveryStatus status) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> Optional.ofNullable(latest(key)).filter(r -> r.status() == status).orElse(null), r -> r != null);
    }

    /** Kafka's own kafka-consumer-groups tool, in a JVM of its own (it calls System.exit), reading times in UTC. */
    private static int kafkaConsumerGroups(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=UTC", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"));
        command.addAll(List.of(args));
        try {
            Process tool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!tool.waitFor(60, TimeUnit.SECONDS)) {
                tool.destroyForcibly();
                throw new AssertionError("kafka-consumer-groups did not finish within 60 s");
            }
            return tool.exitValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
