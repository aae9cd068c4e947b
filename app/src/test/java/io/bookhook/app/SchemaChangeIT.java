package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.embedded.TopicReader;
import io.bookhook.schemas.DeadLetterHeaders;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSchemas;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md item 18 on the whole real stack: while a writer books appointments one per transaction, the booking
 * app's schema changes under the running pipeline. (a) columns are added (one with a default, one nullable), (b) an
 * optional column the payload carries is dropped, (c) columns are retyped (a varchar widened, an integer made bigint, the
 * service's numeric price given another scale). Every appointment booked before, between and after them is POSTed
 * exactly once with a payload that passes the event schema and shows each row as it was at its commit. Then (d) the
 * fields the payload requires go: the status is nulled out, the customer column and the status column are dropped.
 * Those changes are dead-lettered with a reason, counted in {@code bookhook_dead_letters_total}, and after the columns
 * come back, bookings are delivered again: no stage stopped.
 */
class SchemaChangeIT {

    static {
        // The JDK server answers in 40 ms per request without it (Nagle plus delayed ACK); read once, at its first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final String APPOINTMENTS = "appointments_appointment";
    private static final String BOOK = "INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at, ends_at)"
            + " VALUES (1, 1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00') RETURNING id";
    private static final String BOOK_IN_ROOM = "INSERT INTO appointments_appointment (customer_id, salon_id, stylist_id, service_id, starts_at,"
            + " ends_at, room) VALUES (1, 1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00', 7) RETURNING id";
    /** How many appointments the writer books between two schema changes. */
    private static final int BETWEEN = 12;

    /** One POST the receiver accepted. */
    record Post(String key, JsonNode body) {
    }

    /** The appointment ids booked before a statement ran ({@code <= before}) and those surely booked after it ({@code > after}). */
    record Boundary(long before, long after) {
    }

    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private EmbeddedStack stack;
    private String database;

    @Test
    void columns_added_dropped_and_retyped_while_streaming_keep_events_flowing_and_changes_that_lost_a_required_field_are_dead_lettered()
            throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(8);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.add(new Post(exchange.getRequestHeaders().getFirst("X-Idempotency-Key"), Json.mapper().readTree(body)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(prometheus);
        stack = SharedEmbeddedStack.get();
        database = SharedEmbeddedStack.uniqueName("schema_change");
        String jdbcUrl = stack.postgres().createReferenceDatabase(database);
        Map<String, String> environment = TestEnvironments.pipeline(stack, database,
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "schema-secret");
        BookhookSettings settings = new BookhookSettings(environment);
        Writer writer = new Writer();
        Thread writerThread = new Thread(writer, "booking-app-writer");
        try (Pipeline pipeline = Pipeline.start(settings, new Progress(new PrintStream(new ByteArrayOutputStream())))) {
            execute("INSERT INTO appointments_salon (name, phone) VALUES ('Studio', '02-2345-6789')",
                    "INSERT INTO appointments_stylist (salon_id, name, phone) VALUES (1, 'Ana', '0955-123-4567')",
                    "INSERT INTO appointments_service (salon_id, name, duration_minutes, price) VALUES (1, 'Cut', 45, 42.00)",
                    "INSERT INTO appointments_customer (name, phone, email) VALUES ('Mei', '0912-345-4567', 'mei@example.com')");

            // (a)-(c) while the writer books, one appointment per transaction.
            writerThread.start();
            writer.awaitMore(BETWEEN);
            Boundary addWithDefault = ddl("ALTER TABLE appointments_appointment ADD COLUMN source varchar(16) NOT NULL DEFAULT 'web'");
            writer.awaitMore(BETWEEN);
            Boundary addNullable = ddl("ALTER TABLE appointments_appointment ADD COLUMN room integer NULL");
            writer.sql = BOOK_IN_ROOM;
            writer.awaitMore(BETWEEN);
            Boundary dropOptional = ddl("ALTER TABLE appointments_appointment DROP COLUMN notes");
            writer.awaitMore(BETWEEN);
            Boundary widen = ddl("ALTER TABLE appointments_appointment ALTER COLUMN status TYPE varchar(64)");
            writer.awaitMore(BETWEEN);
            Boundary intToBigint = ddl("ALTER TABLE appointments_appointment ALTER COLUMN room TYPE bigint");
            writer.awaitMore(BETWEEN);
            ddl("ALTER TABLE appointments_service ALTER COLUMN price TYPE numeric(12,3), ALTER COLUMN duration_minutes TYPE bigint");
            execute("UPDATE appointments_service SET price = 42.125 WHERE id = 1");
            writer.awaitMore(BETWEEN);
            writer.stop = true;
            writerThread.join(60_000);
            assertThat(writer.failure.get()).as("the writer's inserts").isNull();
            List<Long> booked = List.copyOf(writer.booked);
            // Rows written before the columns were added, updated after all of it: one transaction confirms half of them.
            execute("UPDATE appointments_appointment SET status = 'confirmed' WHERE id % 2 = 0");

            // (d) the fields the payload requires go.
            List<Long> deliverable = new ArrayList<>();
            Map<Long, String> deadLetterExpected = new LinkedHashMap<>(); // appointment id -> what its reason must name
            long nulledOut = booked.get(1 - booked.get(0).intValue() % 2); // an odd one: its created went, no confirmed
            execute("ALTER TABLE appointments_appointment ALTER COLUMN status DROP NOT NULL");
            execute("UPDATE appointments_appointment SET status = NULL WHERE id = " + nulledOut);
            deadLetterExpected.put(nulledOut, "status");
            for (int i = 0; i < 3; i++) {
                deadLetterExpected.put(book(BOOK_IN_ROOM.replace("room)", "room, status)").replace("7)", "7, NULL)")), "status");
                deliverable.add(book(BOOK_IN_ROOM));
            }
            execute("ALTER TABLE appointments_appointment DROP COLUMN customer_id");
            String withoutCustomer = "INSERT INTO appointments_appointment (salon_id, stylist_id, service_id, starts_at, ends_at)"
                    + " VALUES (1, 1, 1, '2026-12-03 14:00+00', '2026-12-03 14:45+00') RETURNING id";
            for (int i = 0; i < 3; i++) {
                deadLetterExpected.put(book(withoutCustomer), "customer_id");
            }
            execute("ALTER TABLE appointments_appointment DROP COLUMN status");
            for (int i = 0; i < 3; i++) {
                deadLetterExpected.put(book(withoutCustomer), "status");
            }
            // The columns come back: bookings are delivered again.
            execute("ALTER TABLE appointments_appointment ADD COLUMN status varchar(16) NOT NULL DEFAULT 'pending'",
                    "ALTER TABLE appointments_appointment ADD COLUMN customer_id bigint NULL REFERENCES appointments_customer (id)");
            for (int i = 0; i < 3; i++) {
                deliverable.add(book(BOOK_IN_ROOM));
            }

            Set<String> expected = new HashSet<>();
            for (long id : booked) {
                expected.add("appointment:" + id + ":created");
                if (id % 2 == 0) {
                    expected.add("appointment:" + id + ":confirmed");
                }
            }
            for (long id : deliverable) {
                expected.add("appointment:" + id + ":created");
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> posts.stream().map(Post::key).collect(Collectors.toSet()).containsAll(expected));
            List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                    settings.topics().deadLetter(), deadLetterExpected.size(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    Duration.ofSeconds(120));
            List<ConsumerRecord<String, byte[]>> derived = TopicReader.readAtLeast(stack.kafka().bootstrapServers(),
                    settings.topics().appointmentEvents(), expected.size(), new StringDeserializer(), new ByteArrayDeserializer(),
                    Duration.ofSeconds(60));

            Set<String> postedKeys = posts.stream().map(Post::key).collect(Collectors.toSet());
            long lost = expected.stream().filter(key -> !postedKeys.contains(key)).count();
            long duplicates = posts.size() - postedKeys.size();
            long derivedTwice = derived.size() - derived.stream().map(ConsumerRecord::key).distinct().count();
            Set<String> unexpected = new HashSet<>(postedKeys);
            unexpected.removeAll(expected);
            Map<Long, String> deadReasons = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
                deadReasons.merge(Json.mapper().readTree(dead.key()).get("id").asLong(),
                        header(dead, DeadLetterHeaders.STAGE) + ": " + header(dead, DeadLetterHeaders.REASON), (a, b) -> a + " | " + b);
            }
            double deadLetterCount = deriveDeadLettersScraped(prometheus);
            System.out.printf("schema changed while streaming: %d appointments booked by the writer, %d after (d); lost=%d duplicates=%d"
                            + " (bounds 0 and 0), derived twice=%d (bound 0), unexpected=%s, dead-lettered=%d (expected %d: %s),"
                            + " bookhook_dead_letters_total{stage=derive}=%.0f%n  dead letters: %s%n",
                    booked.size(), deliverable.size() + deadLetterExpected.size(), lost, duplicates, derivedTwice, unexpected,
                    deadLetters.size(), deadLetterExpected.size(), deadLetterExpected.keySet(), deadLetterCount, deadReasons);

            assertThat(lost).as("lost").isZero();
            assertThat(duplicates).as("duplicates").isZero();
            assertThat(derivedTwice).as("derived twice").isZero();
            assertThat(unexpected).as("events of changes that lost a required field").isEmpty();
            assertThat(deadLetters).as("dead-lettered, each once").hasSize(deadLetterExpected.size());
            assertThat(deadReasons.keySet()).isEqualTo(deadLetterExpected.keySet());
            deadLetterExpected.forEach((id, column) -> assertThat(deadReasons.get(id)).as("reason of appointment %d", id)
                    .startsWith("derive: ").contains(column));
            assertThat(deadLetterCount).as("bookhook_dead_letters_total{stage=\"derive\"} on /metrics").isEqualTo(deadLetterExpected.size());

            for (Post post : posts) {
                checkPayload(post, addWithDefault, addNullable, dropOptional, widen, intToBigint);
            }
            for (long id : deliverable.subList(3, 6)) {
                assertThat(event(id, "created").at("/service/price").asText()).as("service price after its retype").isEqualTo("42.125");
            }

            assertThat(pipeline.capture().stopped()).as("capture kept streaming").isNotDone();
            assertThat(pipeline.capture().isStreaming()).isTrue();
            assertThat(pipeline.derive().stopped()).as("derive kept running").isNotDone();
            assertThat(pipeline.derive().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(pipeline.sink().stopped()).as("the sink kept running").isNotDone();
        } finally {
            writer.stop = true;
            writerThread.join(60_000);
            receiver.stop(0);
            receiverThreads.shutdownNow();
            Metrics.removeRegistry(prometheus);
        }
    }

    /** Each payload is valid and shows the appointment row with the columns it had at that commit. */
    private static void checkPayload(Post post, Boundary addWithDefault, Boundary addNullable, Boundary dropOptional, Boundary widen,
            Boundary intToBigint) {
        JsonNode event = post.body();
        assertThat(JsonSchemas.APPOINTMENT_EVENT.violations(event)).as("schema violations of %s", post.key()).isEmpty();
        assertThat(event.get("idempotency_key").asText()).isEqualTo(post.key());
        String[] key = post.key().split(":");
        long id = Long.parseLong(key[1]);
        JsonNode appointment = event.get("appointment");
        assertThat(appointment.get("id").asLong()).isEqualTo(id);
        assertThat(appointment.get("status").asText()).as("status of %s", post.key()).isEqualTo(key[2].equals("created") ? "pending" : "confirmed");
        for (String part : List.of("customer", "salon", "stylist", "service")) {
            assertThat(event.get(part).isObject()).as("%s of %s", part, post.key()).isTrue();
        }
        assertThat(event.get("missing")).as("missing of %s", post.key()).isEmpty();
        assertThat(event.at("/customer/phone").asText()).isEqualTo("0912***4567");
        assertThat(event.at("/service/price").asText()).isIn("42.00", "42.125");
        assertThat(event.at("/service/duration_minutes").asInt()).isEqualTo(45);
        boolean confirmed = key[2].equals("confirmed"); // updated after every change of (a)-(c)
        if (confirmed || id > addWithDefault.after()) {
            assertThat(appointment.get("source")).as("source of %s", post.key()).isNotNull();
            assertThat(appointment.get("source").asText()).isEqualTo("web");
        } else if (id <= addWithDefault.before()) {
            assertThat(appointment.has("source")).as("source of %s", post.key()).isFalse();
        }
        if (confirmed || id > addNullable.after()) {
            assertThat(appointment.has("room")).as("room of %s", post.key()).isTrue();
        } else if (id <= addNullable.before()) {
            assertThat(appointment.has("room")).as("room of %s", post.key()).isFalse();
        }
        if (confirmed || id > dropOptional.after()) {
            assertThat(appointment.has("notes")).as("notes of %s", post.key()).isFalse();
        } else if (id <= dropOptional.before()) {
            assertThat(appointment.get("notes").asText()).as("notes of %s", post.key()).isEmpty();
        }
        if (id > intToBigint.after() && !appointment.get("room").isNull()) {
            assertThat(appointment.get("room").isIntegralNumber()).isTrue();
            assertThat(appointment.get("room").asLong()).isEqualTo(7);
        }
        assertThat(widen.after()).isGreaterThanOrEqualTo(widen.before());
    }

    private JsonNode event(long id, String type) {
        String key = "appointment:" + id + ":" + type;
        return posts.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().body();
    }

    /** The derive stage's dead letters as Prometheus shows them, whatever their other labels. */
    private static double deriveDeadLettersScraped(PrometheusMeterRegistry prometheus) {
        return prometheus.scrape().lines()
                .filter(line -> line.startsWith("bookhook_dead_letters_total{") && line.contains("stage=\"derive\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Runs one schema change, noting the appointment ids booked before it and those surely booked after it. */
    private Boundary ddl(String statement) {
        long before = maxId();
        execute(statement);
        return new Boundary(before, maxId());
    }

    private long maxId() {
        return Long.parseLong(stack.postgres().queryOne(database, "SELECT coalesce(max(id), 0) FROM " + APPOINTMENTS));
    }

    private long book(String insertReturningId) {
        return Long.parseLong(stack.postgres().queryOne(database, insertReturningId));
    }

    private void execute(String... statements) {
        stack.postgres().execute(database, statements);
    }

    /** The booking app: one appointment per transaction, about every 15 ms, until told to stop. */
    private final class Writer implements Runnable {
        volatile boolean stop;
        volatile String sql = BOOK;
        final List<Long> booked = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void run() {
            try {
                while (!stop) {
                    booked.add(book(sql));
                    LockSupport.parkNanos(Duration.ofMillis(15).toNanos());
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }

        void awaitMore(int count) {
            int target = booked.size() + count;
            await().atMost(Duration.ofSeconds(60)).until(() -> booked.size() >= target || failure.get() != null);
            assertThat(failure.get()).as("the writer's inserts").isNull();
        }
    }
}
