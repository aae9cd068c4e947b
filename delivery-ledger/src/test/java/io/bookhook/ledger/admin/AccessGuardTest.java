package io.bookhook.ledger.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bookhook.runtime.Exchanges;
import io.bookhook.runtime.HttpEndpoints;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The guard in front of the API over real HTTP, with a stand-in API that counts what reaches it: no Kafka needed. */
class AccessGuardTest {

    private static final String OPERATOR = "op-7f3a9c2e-token";
    private static final String READ = "rd-51be08d4-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger reached = new AtomicInteger();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private HttpEndpoints server;

    @BeforeEach
    void start() {
        audit.start();
        ((Logger) LoggerFactory.getLogger(OperatorAudit.LOGGER)).addAppender(audit);
        server = guarded(AdminAccess.withTokens(OPERATOR, Optional.of(READ)));
    }

    private HttpEndpoints guarded(AdminAccess access) {
        return HttpEndpoints.start(new InetSocketAddress("127.0.0.1", 0), "guard-test", 2, Map.of("/api/", new AccessGuard(access,
                new OperatorAudit(), exchange -> {
                    reached.incrementAndGet();
                    Exchanges.json(exchange, exchange.getRequestMethod().equals("POST") ? 202 : 200, Map.of("ok", true));
                })));
    }

    @AfterEach
    void stop() {
        server.close();
        ((Logger) LoggerFactory.getLogger(OperatorAudit.LOGGER)).detachAppender(audit);
    }

    @Test
    void no_token_or_a_wrong_one_is_401_with_a_bearer_challenge_and_never_reaches_the_api() throws Exception {
        HttpResponse<String> none = send("GET", "/api/deliveries", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"bookhook admin\"");
        assertThat(none.body()).contains("needs a token");

        HttpResponse<String> wrong = send("POST", "/api/deliveries/d1/retry", "not-" + OPERATOR);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).get().asString().contains("error=\"invalid_token\"");
        assertThat(reached).hasValue(0);
        assertThat(audit.list).as("no token holder, no audit line").isEmpty();
    }

    @Test
    void a_read_token_reads_but_may_not_act_and_the_refusal_is_audited() throws Exception {
        assertThat(send("GET", "/api/deliveries", READ).statusCode()).isEqualTo(200);
        HttpResponse<String> retry = send("POST", "/api/deliveries/d1/retry", READ);
        assertThat(retry.statusCode()).isEqualTo(403);
        assertThat(retry.body()).contains("read-only token cannot retry");
        assertThat(reached).hasValue(1);
        awaitLines("admin action=retry target=delivery:d1 token=read remote=127.0.0.1 status=403");
    }

    @Test
    void the_operator_token_acts_with_one_audit_line_per_action_and_no_token_in_any() throws Exception {
        assertThat(send("POST", "/api/deliveries/d%201/retry", OPERATOR).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/appointments/42/resend?event=created&endpoint=crm", OPERATOR).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/endpoints/crm/pause", OPERATOR).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/deliveries/x%0Aforged%20line/retry", OPERATOR).statusCode()).isEqualTo(202);
        assertThat(send("GET", "/api/deliveries", OPERATOR).statusCode()).as("reads are not audited").isEqualTo(200);
        awaitLines(
                "admin action=retry target=delivery:d_1 token=operator remote=127.0.0.1 status=202",
                "admin action=resend target=appointment:42,event:created,endpoint:crm token=operator remote=127.0.0.1 status=202",
                "admin action=pause target=endpoint:crm token=operator remote=127.0.0.1 status=202",
                "admin action=retry target=delivery:x_forged_line token=operator remote=127.0.0.1 status=202");
        assertThat(audit.list).allSatisfy(event -> assertThat(event.getLevel().toString()).isEqualTo("INFO"));
    }

    @Test
    void without_tokens_everyone_may_act_and_the_audit_says_no_token() throws Exception {
        server.close();
        server = guarded(AdminAccess.open());
        assertThat(send("POST", "/api/deliveries/d1/retry", null).statusCode()).isEqualTo(202);
        awaitLines("admin action=retry target=delivery:d1 token=none remote=127.0.0.1 status=202");
    }

    /** The line is written once the answer is sent, so the client may see the answer first. */
    private void awaitLines(String... expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> lines;
            synchronized (audit) { // the appender appends under its own lock
                lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(lines).noneMatch(line -> line.contains(OPERATOR) || line.contains(READ)).containsExactly(expected);
        });
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
