package io.bookhook.ledger.admin;

import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The admin port over HTTP, on a real ledger and with both tokens set: the JSON API, who may use it, its refusals,
 * metrics and health. Every log line written meanwhile is captured: none may hold a token.
 */
class AdminServerIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private AdminFixture admin;

    @BeforeEach
    void ledgerWithOneFailedAndOneDeliveredDelivery() {
        log.start();
        root().addAppender(log);
        admin = AdminFixture.withTokens();
        admin.broker.writeLedger(failed("d-failed", "42", EventType.CONFIRMED), delivered("d-delivered", "42", EventType.CREATED),
                delivered("d-other", "7", EventType.CREATED));
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/health/ready").statusCode() == 200
                && Json.mapper().readTree(get("/api/deliveries").body()).get("deliveries").size() == 3);
    }

    @AfterEach
    void stop() {
        admin.close();
        root().detachAppender(log);
        assertThat(logLines()).noneMatch(line -> line.contains(AdminFixture.OPERATOR_TOKEN) || line.contains(AdminFixture.READ_TOKEN));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Each captured line as written: the message, and any exception's text, which a token could hide in too. */
    private List<String> logLines() {
        synchronized (log) { // the appender appends under its own lock
            return log.list.stream().map(event -> event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy()))).toList();
        }
    }

    @Test
    void the_api_answers_only_a_token_of_its_own_and_a_read_token_only_reads() throws Exception {
        HttpResponse<String> none = send("GET", "/api/deliveries", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(send("GET", "/api/deliveries", "wrong-" + AdminFixture.OPERATOR_TOKEN).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/deliveries/d-failed/retry", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/endpoints", null).statusCode()).isEqualTo(401);

        HttpResponse<String> read = send("GET", "/api/deliveries", AdminFixture.READ_TOKEN);
        assertThat(ids(read)).containsExactlyInAnyOrder("d-failed", "d-delivered", "d-other");
        assertThat(send("GET", "/api/deliveries/d-failed", AdminFixture.READ_TOKEN).body()).contains("appointment:42:confirmed");
        HttpResponse<String> readRetry = send("POST", "/api/deliveries/d-failed/retry", AdminFixture.READ_TOKEN);
        assertThat(readRetry.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(readRetry.body()).get("error").asText()).startsWith("a read-only token cannot retry");
        assertThat(send("POST", "/api/appointments/42/resend", AdminFixture.READ_TOKEN).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/endpoints/make/pause", AdminFixture.READ_TOKEN).statusCode()).isEqualTo(403);
        assertThat(admin.broker.requests()).as("nothing was asked of the sink").isEmpty();

        assertThat(send("POST", "/api/deliveries/d-failed/retry", AdminFixture.OPERATOR_TOKEN).statusCode()).isEqualTo(202);
        assertThat(admin.broker.requests()).singleElement().satisfies(r -> assertThat(r.value().deliveryId()).isEqualTo("d-failed"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logLines()).filteredOn(line -> line.startsWith("io.bookhook.audit "))
                .containsExactly(
                        "io.bookhook.audit admin action=retry target=delivery:d-failed token=read remote=127.0.0.1 status=403",
                        "io.bookhook.audit admin action=resend target=appointment:42 token=read remote=127.0.0.1 status=403",
                        "io.bookhook.audit admin action=pause target=endpoint:make token=read remote=127.0.0.1 status=403",
                        "io.bookhook.audit admin action=retry target=delivery:d-failed token=operator remote=127.0.0.1 status=202"));
    }

    @Test
    void the_page_health_and_metrics_need_no_token() throws Exception {
        assertThat(send("GET", "/", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin.js", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health/live", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", null).body()).contains("bookhook_ledger_view_ready 1");
    }

    @Test
    void should_list_deliveries_filtered_by_status_and_appointment() throws Exception {
        assertThat(ids(get("/api/deliveries"))).containsExactlyInAnyOrder("d-failed", "d-delivered", "d-other");
        assertThat(ids(get("/api/deliveries?status=delivered&appointment=42"))).containsExactly("d-delivered");
        assertThat(ids(get("/api/deliveries?status=failed&appointment="))).containsExactly("d-failed");
        JsonNode list = Json.mapper().readTree(get("/api/deliveries").body());
        assertThat(list.at("/counts/delivered").asInt()).isEqualTo(2);
        assertThat(list.at("/deliveries/0").has("payload")).as("lists leave payloads out").isFalse();

        HttpResponse<String> bad = get("/api/deliveries?status=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void should_list_a_page_at_a_time_with_the_total_and_the_cursor_of_the_next_page() throws Exception {
        JsonNode all = Json.mapper().readTree(get("/api/deliveries").body());
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("next").isNull()).as("everything fits the default page").isTrue();

        JsonNode first = Json.mapper().readTree(get("/api/deliveries?limit=2").body());
        assertThat(first.get("deliveries")).hasSize(2);
        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(first.at("/counts/delivered").asInt()).isEqualTo(2);
        HttpResponse<String> rest = get("/api/deliveries?limit=2&before=" + first.get("next").asText());
        JsonNode second = Json.mapper().readTree(rest.body());
        assertThat(second.get("next").isNull()).isTrue();
        List<String> paged = new java.util.ArrayList<>(ids(get("/api/deliveries?limit=2")));
        paged.addAll(ids(rest));
        assertThat(paged).containsExactlyElementsOf(ids(get("/api/deliveries")));

        JsonNode delivered = Json.mapper().readTree(get("/api/deliveries?status=delivered&limit=1").body());
        assertThat(delivered.get("deliveries")).hasSize(1);
        assertThat(delivered.get("total").asLong()).isEqualTo(2);
        assertThat(delivered.get("next").isTextual()).isTrue();

        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "limit=-1")) {
            HttpResponse<String> refused = get("/api/deliveries?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(Json.mapper().readTree(refused.body()).get("error").asText()).as(bad)
                    .startsWith("limit must be a whole number from 1 to 1000, not '");
        }
        HttpResponse<String> badCursor = get("/api/deliveries?before=nonsense!");
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(badCursor.body()).get("error").asText()).contains("not a cursor");
    }

    @Test
    void should_show_one_delivery_with_its_payload_and_404_an_unknown_one() throws Exception {
        HttpResponse<String> one = get("/api/deliveries/d-failed");
        JsonNode body = Json.mapper().readTree(one.body());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(body.get("status").asText()).isEqualTo("failed");
        assertThat(body.get("attempts").asInt()).isEqualTo(3);
        assertThat(body.get("last_response_code").asInt()).isEqualTo(503);
        assertThat(body.at("/payload/idempotency_key").asText()).isEqualTo("appointment:42:confirmed");

        HttpResponse<String> unknown = get("/api/deliveries/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(unknown.body()).get("error").asText()).isEqualTo("no delivery 'nope' in the ledger");
    }

    @Test
    void should_write_a_retry_request_and_mark_the_delivery_requested_until_the_ledger_moves() throws Exception {
        HttpResponse<String> accepted = post("/api/deliveries/d-failed/retry", true);

        assertThat(accepted.statusCode()).isEqualTo(202);
        List<ConsumerRecord<String, DeliveryRequest>> stored = admin.broker.requests();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).value().action()).isEqualTo(DeliveryRequest.Action.RETRY);
        assertThat(stored.get(0).value().deliveryId()).isEqualTo("d-failed");
        assertThat(stored.get(0).key()).isEqualTo("42");
        assertThat(Json.mapper().readTree(get("/api/deliveries/d-failed").body()).at("/requested/action").asText()).isEqualTo("retry");

        // The sink's next record for the delivery is newer than the request: the mark goes.
        admin.broker.writeLedger(failed("d-failed", "42", EventType.CONFIRMED).next(DeliveryStatus.DELIVERED, 4, 200, null, "ok",
                java.time.Instant.now().plusSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode after = Json.mapper().readTree(get("/api/deliveries/d-failed").body());
            assertThat(after.get("status").asText()).isEqualTo("delivered");
            assertThat(after.has("requested")).isFalse();
        });
    }

    @Test
    void should_refuse_what_the_cli_refuses_and_posts_without_the_action_header() throws Exception {
        assertThat(post("/api/deliveries/d-delivered/retry", true).statusCode()).isEqualTo(409);
        assertThat(post("/api/deliveries/nope/retry", true).statusCode()).isEqualTo(404);
        assertThat(post("/api/appointments/99/resend", true).statusCode()).isEqualTo(404);
        assertThat(post("/api/appointments/42/resend?event=cancelled", true).statusCode()).isEqualTo(400);
        assertThat(post("/api/deliveries/d-failed/retry", false).statusCode()).isEqualTo(403);
        assertThat(admin.broker.requests()).isEmpty();

        assertThat(post("/api/appointments/42/resend?event=created", true).statusCode()).isEqualTo(202);
        assertThat(admin.broker.requests()).extracting(r -> r.value().action()).containsExactly(DeliveryRequest.Action.RESEND);
    }

    @Test
    void should_move_the_delivery_gauges_with_the_ledger_and_count_requests() throws Exception {
        assertThat(get("/metrics").body())
                .contains("bookhook_ledger_deliveries{status=\"failed\"} 1")
                .contains("bookhook_ledger_deliveries{status=\"delivered\"} 2")
                .contains("bookhook_ledger_view_ready 1");

        admin.broker.writeLedger(failed("d-new", "8", EventType.CREATED));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/deliveries/d-new").statusCode() == 200);
        assertThat(post("/api/deliveries/d-new/retry", true).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/metrics").body())
                .contains("bookhook_ledger_deliveries{status=\"failed\"} 2")
                .contains("bookhook_operator_requests_total{action=\"retry\"} 1"));
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
    }

    @Test
    void should_answer_live_at_once_and_serve_the_page() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"admin.js\"");
        assertThat(get("/admin.js").body()).contains("textContent");
        assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
    }

    @Test
    void endpoints_are_listed_and_paused_or_resumed_only_with_the_action_header_and_a_valid_name() throws Exception {
        HttpResponse<String> list = get("/api/endpoints");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(io.bookhook.schemas.Json.mapper().readTree(list.body()).path("endpoints").findValuesAsText("name")).contains("make");

        assertThat(post("/api/endpoints/make/pause", false).statusCode()).isEqualTo(403);
        assertThat(post("/api/endpoints/NOT%20A%20NAME/pause", true).statusCode()).isEqualTo(400);
        HttpResponse<String> paused = post("/api/endpoints/make/pause", true);
        assertThat(paused.statusCode()).isEqualTo(202);
        assertThat(paused.body()).contains("\"paused\":true");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(
                () -> get("/api/endpoints").body().contains("\"name\":\"make\",\"target\":null,\"circuit\":\"unknown\",\"paused\":true"));
        assertThat(post("/api/endpoints/make/resume", true).body()).contains("\"paused\":false");
    }

    private List<String> ids(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        Json.mapper().readTree(response.body()).get("deliveries").forEach(d -> ids.add(d.get("delivery_id").asText()));
        return ids;
    }

    /** A GET with the operator token. */
    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, AdminFixture.OPERATOR_TOKEN);
    }

    /** A POST with the operator token. */
    private HttpResponse<String> post(String path, boolean withActionHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(admin.uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + AdminFixture.OPERATOR_TOKEN);
        if (withActionHeader) {
            request.header(DeliveriesApi.ACTION_HEADER, "test");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as the page sends it (POSTs with the action header), with the given token or none. */
    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(admin.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (method.equals("POST")) {
            request.header(DeliveriesApi.ACTION_HEADER, "test");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
