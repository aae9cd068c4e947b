package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY 26 on the whole real stack: a receiver that answers after 200 ms and rejects one appointment's payload
 * with 500 every time, while 300 other appointments are booked one per transaction. Every other appointment is
 * delivered on time (p99 commit→receive under 2 s, from the commit time in the payload to the receiver's answer); only
 * the rejected appointment's later event waits behind it.
 */
class PoisonPayloadIT {

    private static final int APPOINTMENTS = 300;
    private static final Duration RECEIVER_LATENCY = Duration.ofMillis(200);
    private static final String POISON = "appointment:1:created";

    /** One answer the receiver gave: what, which attempt, and when (after its latency). */
    record Answer(String key, String attempt, int status, Instant answeredAt, Instant committedAt) {
    }

    @Test
    void one_payload_rejected_forever_delays_only_its_own_appointment() throws Exception {
        List<Answer> answers = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(200);
        receiver.setExecutor(threads);
        receiver.createContext("/hook", exchange -> {
            JsonNode event = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            String key = exchange.getRequestHeaders().getFirst("X-Idempotency-Key");
            try {
                Thread.sleep(RECEIVER_LATENCY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = POISON.equals(key) ? 500 : 200;
            answers.add(new Answer(key, exchange.getRequestHeaders().getFirst("X-Delivery-Attempt"), status, Instant.now(),
                    Instant.parse(event.get("occurred_at").asText())));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("poison");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);
        Map<String, String> environment = TestEnvironments.pipeline(stack, name,
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "poison-secret");
        environment.put("BOOKHOOK_RETRY_FIRST_INTERVAL", "1s");
        try (Pipeline pipeline = Pipeline.start(new BookhookSettings(environment), new Progress(new PrintStream(new ByteArrayOutputStream())));
             Connection db = DriverManager.getConnection(jdbcUrl, stack.postgres().user(), stack.postgres().password());
             Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')");
            sql.execute("INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)");
            sql.execute("INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");
            // Appointment 1: its created is rejected forever, so its confirmed must wait behind it.
            sql.execute(booking());
            sql.execute("UPDATE appointments_appointment SET status = 'confirmed' WHERE id = 1");
            long paced = System.nanoTime();
            for (int n = 0; n < APPOINTMENTS; n++) {
                sql.execute(booking());
                // Booked over about ten seconds, as a busy platform would, not in one burst.
                java.util.concurrent.locks.LockSupport.parkNanos(paced + Duration.ofMillis(33).toNanos() * (n + 1) - System.nanoTime());
            }

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> delivered(answers).size() >= APPOINTMENTS);
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.stream().filter(a -> a.key().equals(POISON)).count() >= 3);

            Map<String, List<Answer>> ok = delivered(answers);
            List<Long> latencies = ok.values().stream().map(posts -> Duration.between(posts.get(0).committedAt(), posts.get(0).answeredAt())
                    .toMillis()).sorted().toList();
            long p50 = latencies.get(latencies.size() / 2);
            long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
            long lost = APPOINTMENTS - ok.keySet().stream().filter(k -> k.endsWith(":created")).count();
            long duplicates = ok.values().stream().mapToLong(posts -> posts.size() - 1).sum();
            List<String> poisonAttempts = answers.stream().filter(a -> a.key().equals(POISON)).map(Answer::attempt).toList();
            System.out.printf("one payload rejected forever, %d others booked, receiver %d ms: commit->receive p50=%d ms p99=%d ms max=%d ms,"
                    + " lost=%d duplicates=%d (bounds 0 and 0); the rejected one's attempts %s%n", APPOINTMENTS, RECEIVER_LATENCY.toMillis(),
                    p50, p99, latencies.get(latencies.size() - 1), lost, duplicates, poisonAttempts);

            assertThat(lost).isZero();
            assertThat(duplicates).isZero();
            assertThat(p99).as("p99 commit->receive of the other appointments, ms").isLessThan(2_000);
            assertThat(poisonAttempts).as("the rejected payload keeps its schedule").startsWith("1", "2", "3");
            assertThat(answers).as("appointment 1's confirmed waits behind its created").noneMatch(a -> a.key().equals("appointment:1:confirmed"));
        } finally {
            receiver.stop(0);
            threads.shutdownNow();
        }
    }

    private static String booking() {
        return "INSERT INTO appointments_appointment (customer_id, salon_id, service_id, starts_at, ends_at) "
                + "VALUES (1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00')";
    }

    /** 2xx answers by idempotency key, in the order given. */
    private static Map<String, List<Answer>> delivered(List<Answer> answers) {
        return answers.stream().filter(a -> a.status() == 200).collect(Collectors.groupingBy(Answer::key));
    }
}
