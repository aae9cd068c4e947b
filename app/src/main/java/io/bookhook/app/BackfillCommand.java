package io.bookhook.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.capture.PostgresConnection;
import io.bookhook.derive.HistoricalEvents;
import io.bookhook.derive.HistoricalRows;
import io.bookhook.derive.RelatedRows;
import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.OperatorException;
import io.bookhook.ledger.ReplayTime;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.AppointmentPartition;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.DeliveryIds;
import io.bookhook.sink.EndpointSettings;
import io.bookhook.sink.EventFilter;
import io.bookhook.sink.SinkSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Sends the webhooks of bookings made before bookhook ran, or during a gap.",
                "",
                "Reads the appointments whose created column (BOOKHOOK_COLUMN_CREATED_AT, default created_at) is in "
                        + "[--since, --until) from Postgres in one consistent snapshot, chunk by chunk, derives the events an "
                        + "insert of each would have derived (created for a pending or confirmed row, then confirmed for a "
                        + "confirmed one; same keys, payload and masking as derive) and writes them to the events topic, marked "
                        + "as a backfill. The sink posts only those the ledger does not have delivered and records them with "
                        + "reason 'backfill'. Killed halfway, run it again: what went out already is skipped.",
                "",
                "Progress goes to stderr, one line per chunk; stdout holds the result.",
                "",
                "Exit codes: 0 written (or counted, with --dry-run), 1 Postgres or Kafka unreachable, 2 bad option or setting."})
final class BackfillCommand extends OperatorCommand {

    static final String TIME_COLUMN = "BOOKHOOK_COLUMN_CREATED_AT";

    @Option(names = "--since", required = true, paramLabel = "TIME",
            description = "First booking time included: 2026-11-27T09:00:00Z (or with an offset), 2026-11-27 (start of that day, UTC), "
                    + "or back from now: 90m, 24h, 2d.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "First booking time not included, same forms (default: now).")
    String until;

    @Option(names = "--dry-run", description = "Count the events per event type and endpoint, and how many of them the ledger has "
            + "delivered; write nothing.")
    boolean dryRun;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "500",
            description = "Appointments read and written per chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    BackfillCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) throws Exception {
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be between 1 and 100000, got " + chunkSize);
        }
        Clock clock = Clock.systemUTC();
        Instant from = ReplayTime.parse(since, clock);
        Instant to = until == null ? null : parseUntil(clock);
        if (to != null && !to.isAfter(from)) {
            throw OperatorException.invalid("--until " + to + " is not after --since " + from + ": the range is empty");
        }
        TableMapping mapping = settings.tableMapping();
        String timeColumn = settings.env().string(TIME_COLUMN, "created_at");
        String schema = settings.env().string("BOOKHOOK_POSTGRES_SCHEMA", "public");
        String range = timeColumn + " in [" + from + ", " + (to == null ? "now" : to.toString()) + ")";
        PrintWriter err = spec.commandLine().getErr();
        return dryRun ? dryRun(settings, mapping, schema, timeColumn, from, to, range, out, err)
                : write(settings, mapping, schema, timeColumn, from, to, range, out, err);
    }

    private Instant parseUntil(Clock clock) {
        try {
            return ReplayTime.parse(until, clock);
        } catch (OperatorException e) {
            throw OperatorException.invalid(e.getMessage().replace("--since", "--until"));
        }
    }

    /** What each chunk yields: its events, and the rows derive would refuse (named on stderr). */
    private interface ChunkHandler {
        void handle(List<AppointmentEvent> events) throws Exception;
    }

    /** Reads the range chunk by chunk in one snapshot; returns how many appointments it read. */
    private long read(BookhookSettings settings, TableMapping mapping, String schema, String timeColumn, Instant from, Instant to,
                      PrintWriter err, ChunkHandler handler) throws Exception {
        HistoricalEvents builder = new HistoricalEvents(mapping);
        try (HistoricalRows rows = openSnapshot(settings, schema, mapping, timeColumn)) {
            long total = rows.count(from, to);
            err.printf(Locale.ROOT, "backfill: %,d appointments to read in one snapshot, %,d per chunk%n", total, chunkSize);
            err.flush();
            long read = 0;
            long chunks = 0;
            Object after = null;
            while (true) {
                List<HistoricalRows.Row> chunk = rows.chunk(from, to, after, chunkSize);
                if (chunk.isEmpty()) {
                    break;
                }
                RelatedRows related = rows.related(chunk.stream().map(HistoricalRows.Row::row).toList());
                List<AppointmentEvent> events = new ArrayList<>();
                for (HistoricalRows.Row row : chunk) {
                    try {
                        events.addAll(builder.of(row.row(), row.time() == null ? from : row.time(), related));
                    } catch (IllegalArgumentException refused) {
                        err.println("backfill: skipped, as derive would: " + refused.getMessage());
                    }
                }
                handler.handle(events);
                read += chunk.size();
                chunks++;
                after = chunk.get(chunk.size() - 1).key();
                err.printf(Locale.ROOT, "backfill: chunk %d: %,d of %,d appointments done (last %s %s)%n", chunks, read, total,
                        mapping.appointmentIdColumn(), after);
                err.flush();
                if (chunk.size() < chunkSize) {
                    break;
                }
            }
            return read;
        } catch (SQLException e) {
            throw OperatorException.unavailable("cannot read the appointments in Postgres (" + settings.postgres() + "): " + e.getMessage(), e);
        }
    }

    private static HistoricalRows openSnapshot(BookhookSettings settings, String schema, TableMapping mapping, String timeColumn)
            throws SQLException {
        try {
            PostgresConnection postgres = settings.postgres();
            return HistoricalRows.open(DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password()), schema, mapping,
                    timeColumn);
        } catch (IllegalArgumentException e) {
            throw OperatorException.invalid(e.getMessage());
        }
    }

    private int write(BookhookSettings settings, TableMapping mapping, String schema, String timeColumn, Instant from, Instant to,
                      String range, PrintWriter out, PrintWriter err) throws Exception {
        String topic = settings.topics().appointmentEvents();
        Map<String, Object> client = new HashMap<>(promptClient(settings));
        client.put("max.request.size", Integer.toString(settings.maxMessageBytes()));
        client.put("enable.idempotence", "true");
        client.put("acks", "all");
        // Told within seconds when Kafka is unreachable or the topic missing, not after the producer's minute.
        client.put("max.block.ms", Long.toString(KAFKA_ANSWER_WITHIN.toMillis()));
        Serializer<AppointmentEvent> values = JsonSerde.of(AppointmentEvent.class).serializer();
        Map<EventType, Long> written = new EnumMap<>(EventType.class);
        long[] tooLarge = {0};
        long appointments;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            int partitions = partitionsOf(settings, topic);
            appointments = read(settings, mapping, schema, timeColumn, from, to, err, events -> {
                long derivedAt = System.currentTimeMillis();
                List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
                for (AppointmentEvent event : events) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(EventHeaders.DERIVED_AT, EventHeaders.millis(derivedAt));
                    headers.add(EventHeaders.REASON, EventHeaders.REASON_BACKFILL.getBytes(StandardCharsets.US_ASCII));
                    // Derive's partitioner: every event of an appointment on its partition, created before confirmed.
                    int partition = AppointmentPartition.of(event.key().appointmentId(), partitions);
                    acks.add(producer.send(new ProducerRecord<>(topic, partition, event.occurredAt().toEpochMilli(), event.idempotencyKey(),
                            values.serialize(topic, event), headers)));
                }
                producer.flush();
                for (int i = 0; i < acks.size(); i++) {
                    AppointmentEvent event = events.get(i);
                    try {
                        acks.get(i).get();
                        written.merge(event.eventType(), 1L, Long::sum);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RecordTooLargeException) {
                            tooLarge[0]++;
                            err.println("backfill: " + event.idempotencyKey() + " not written: over the " + settings.maxMessageBytes()
                                    + "-byte limit (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES)");
                        } else {
                            throw OperatorException.unavailable("cannot write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
                        }
                    }
                }
            });
        }
        long total = written.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "backfilled %,d appointments with %s: %,d events written to %s (%s)%n", appointments, range, total, topic,
                perType(written));
        if (tooLarge[0] > 0) {
            out.printf(Locale.ROOT, "%,d events too large to write (named on stderr)%n", tooLarge[0]);
        }
        out.println("the sink posts those the ledger does not have delivered, reason backfill; follow with: bookhook deliveries");
        return 0;
    }

    /**
     * The events topic's partition count, asked of the admin API: a producer's metadata request could create a missing
     * topic with the broker's defaults, and derive's partitioner needs the real count.
     */
    private static int partitionsOf(BookhookSettings settings, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(new HashMap<>(promptClient(settings)))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(KAFKA_ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw OperatorException.notFound("topic " + topic + " does not exist: start derive once (it creates it), or check"
                        + " BOOKHOOK_TOPIC_EVENTS");
            }
            throw OperatorException.unavailable("cannot read the partitions of " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw OperatorException.unavailable("cannot read the partitions of " + topic + ": Kafka did not answer within "
                    + KAFKA_ANSWER_WITHIN.toSeconds() + " s", e);
        }
    }

    private int dryRun(BookhookSettings settings, TableMapping mapping, String schema, String timeColumn, Instant from, Instant to,
                       String range, PrintWriter out, PrintWriter err) throws Exception {
        SinkSettings sink = settings.sink();
        Map<String, EventFilter> filters = new LinkedHashMap<>();
        for (EndpointSettings endpoint : sink.endpoints()) {
            filters.put(endpoint.name(), new EventFilter(endpoint.events(), endpoint.salons(), sink.salonIdColumn()));
        }
        // per event type, per endpoint: {events, delivered already}
        Map<EventType, Map<String, long[]>> counts = new EnumMap<>(EventType.class);
        Map<EventType, Long> derived = new EnumMap<>(EventType.class);
        long appointments;
        try (LedgerView ledger = caughtUpLedger(settings)) {
            appointments = read(settings, mapping, schema, timeColumn, from, to, err, events -> {
                for (AppointmentEvent event : events) {
                    derived.merge(event.eventType(), 1L, Long::sum);
                    JsonNode payload = Json.mapper().valueToTree(event);
                    for (Map.Entry<String, EventFilter> endpoint : filters.entrySet()) {
                        if (!endpoint.getValue().accepts(event.eventType(), payload)) {
                            continue;
                        }
                        long[] count = counts.computeIfAbsent(event.eventType(), t -> new LinkedHashMap<>())
                                .computeIfAbsent(endpoint.getKey(), e -> new long[2]);
                        count[0]++;
                        boolean delivered = ledger.index().byDeliveryId(DeliveryIds.forEvent(endpoint.getKey(), event.key()))
                                .filter(record -> record.status() == DeliveryStatus.DELIVERED).isPresent();
                        if (delivered) {
                            count[1]++;
                        }
                    }
                }
            });
        }
        long total = derived.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "would backfill %,d appointments with %s: %,d events (%s)%n", appointments, range, total, perType(derived));
        out.printf("  %-10s  %-20s  %8s  %9s  %7s%n", "EVENT", "ENDPOINT", "EVENTS", "DELIVERED", "TO POST");
        for (Map.Entry<EventType, Map<String, long[]>> type : counts.entrySet()) {
            for (Map.Entry<String, long[]> endpoint : type.getValue().entrySet()) {
                long[] count = endpoint.getValue();
                out.printf("  %-10s  %-20s  %8d  %9d  %7d%n", type.getKey().wireName(), endpoint.getKey(), count[0], count[1],
                        count[0] - count[1]);
            }
        }
        out.println("nothing written (--dry-run)");
        return 0;
    }

    private static String perType(Map<EventType, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (EventType type : EventType.values()) {
            parts.add(type.wireName() + " " + counts.getOrDefault(type, 0L));
        }
        return String.join(", ", parts);
    }
}
