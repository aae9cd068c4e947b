package io.bookhook.app;

import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.OperatorException;
import io.bookhook.ledger.ReplayTime;
import io.bookhook.schemas.EventType;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        String timeColumn = settings.createdAtColumn();
        String schema = settings.postgresSchema();
        String range = timeColumn + " in [" + from + ", " + (to == null ? "now" : to.toString()) + ")";
        PrintWriter err = spec.commandLine().getErr();
        BackfillReader reader = new BackfillReader(settings, mapping, schema, timeColumn, from, to, chunkSize, err);
        return dryRun ? BackfillDryRun.count(settings, reader, range, out) : BackfillWriter.write(settings, reader, range, out, err);
    }

    private Instant parseUntil(Clock clock) {
        try {
            return ReplayTime.parse(until, clock);
        } catch (OperatorException e) {
            throw OperatorException.invalid(e.getMessage().replace("--since", "--until"));
        }
    }

    /** "created 3, confirmed 2, ...": every event type, in order. */
    static String perType(Map<EventType, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (EventType type : EventType.values()) {
            parts.add(type.wireName() + " " + counts.getOrDefault(type, 0L));
        }
        return String.join(", ", parts);
    }
}
