package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.runtime.Readiness;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.WebhookSink;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A stage's health and metrics port, with a real sink delivering to a local receiver on the real broker. */
class StageEndpointsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_sink_port_reports_ready_while_it_runs_and_its_counters_move_with_deliveries() throws Exception {
        OperatorFixture fixture = new OperatorFixture();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            fixture.environment.put("MAKE_WEBHOOK_URL", receiver.url().toString());
            fixture.environment.put("MAKE_WEBHOOK_SECRET", "metrics-secret");
            fixture.environment.put("BOOKHOOK_ALLOW_PRIVATE_TARGETS", "true");
            fixture.environment.put("BOOKHOOK_ADMIN_PORT", Integer.toString(port));
            fixture.environment.put("BOOKHOOK_ADMIN_BIND", "127.0.0.1");
            BookhookSettings settings = new BookhookSettings(fixture.environment);
            URI base = URI.create("http://127.0.0.1:" + port);

            AtomicReference<WebhookSink> sink = new AtomicReference<>();
            try (AutoCloseable endpoints = StageEndpoints.start(settings.stagePort(),
                    Readiness.of(() -> sink.get() != null && sink.get().isRunning(), "the sink"))) {
                assertThat(get(base.resolve("/health/live")).statusCode()).isEqualTo(200);
                HttpResponse<String> notYet = get(base.resolve("/health/ready"));
                assertThat(notYet.statusCode()).isEqualTo(503);
                assertThat(notYet.body()).contains("\"waiting_for\":\"the sink\"");

                double deliveredBefore = metric(base, "bookhook_sink_deliveries_total\\{endpoint=\"make\",outcome=\"delivered\"}");
                double attemptsBefore = metric(base, "bookhook_delivery_attempt_seconds_count\\{endpoint=\"make\",outcome=\"delivered\"}");
                sink.set(WebhookSink.start(settings.sink()));
                await().atMost(Duration.ofSeconds(30)).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

                produceEvent(fixture, IdempotencyKey.of(31, EventType.CREATED));
                await().atMost(Duration.ofSeconds(30)).until(
                        () -> metric(base, "bookhook_sink_deliveries_total\\{endpoint=\"make\",outcome=\"delivered\"}") == deliveredBefore + 1);
                assertThat(metric(base, "bookhook_delivery_attempt_seconds_count\\{endpoint=\"make\",outcome=\"delivered\"}")).isEqualTo(attemptsBefore + 1);
                assertThat(get(base.resolve("/metrics")).body()).contains("bookhook_delivery_commit_to_delivery_seconds_count");

                sink.get().close();
                assertThat(get(base.resolve("/health/ready")).statusCode()).isEqualTo(503);
            } finally {
                if (sink.get() != null) {
                    sink.get().close();
                }
            }
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A sample's value from the Prometheus text, 0 when the series does not exist yet. */
    private double metric(URI base, String series) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(get(base.resolve("/metrics")).body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static void produceEvent(OperatorFixture fixture, IdempotencyKey key) throws Exception {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", 31).put("status", "pending");
        AppointmentEvent event = new AppointmentEvent(key.eventType(), key.toString(), Instant.now(), appointment, null, null, null, null,
                List.of());
        try (KafkaProducer<String, AppointmentEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                fixture.kafka.bootstrapServers()), new StringSerializer(), JsonSerde.of(AppointmentEvent.class).serializer())) {
            producer.send(new ProducerRecord<>(fixture.topics.appointmentEvents(), key.toString(), event)).get(10, TimeUnit.SECONDS);
        }
    }
}
