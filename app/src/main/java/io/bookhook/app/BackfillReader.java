package io.bookhook.app;

import io.bookhook.capture.PostgresConnection;
import io.bookhook.derive.HistoricalEvents;
import io.bookhook.derive.HistoricalRows;
import io.bookhook.derive.RelatedRows;
import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.OperatorException;
import io.bookhook.schemas.AppointmentEvent;
import java.io.PrintWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the appointments of a backfill's range from Postgres chunk by chunk in one consistent snapshot, and derives the
 * events an insert of each would have derived; progress goes to stderr, one line per chunk.
 */
final class BackfillReader {

    /** What each chunk yields: its events (the rows derive would refuse are named on stderr). */
    interface ChunkHandler {
        void handle(List<AppointmentEvent> events) throws Exception;
    }

    private final BookhookSettings settings;
    private final TableMapping mapping;
    private final String schema;
    private final String timeColumn;
    private final Instant from;
    private final Instant to;
    private final int chunkSize;
    private final PrintWriter err;

    /** The appointments whose {@code timeColumn} is in [{@code from}, {@code to}) ({@code to} null: now). */
    BackfillReader(BookhookSettings settings, TableMapping mapping, String schema, String timeColumn, Instant from, Instant to, int chunkSize,
                   PrintWriter err) {
        this.settings = settings;
        this.mapping = mapping;
        this.schema = schema;
        this.timeColumn = timeColumn;
        this.from = from;
        this.to = to;
        this.chunkSize = chunkSize;
        this.err = err;
    }

    /** Reads the range chunk by chunk in one snapshot; returns how many appointments it read. */
    long read(ChunkHandler handler) throws Exception {
        HistoricalEvents builder = new HistoricalEvents(mapping);
        try (HistoricalRows rows = openSnapshot(settings.postgres(), schema, mapping, timeColumn)) {
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

    /**
     * The booking app's rows in one snapshot, on a connection of their own: what backfill reads, and what a resend rebuilds
     * a payload from. A time column the table lacks is a setting's error.
     */
    static HistoricalRows openSnapshot(PostgresConnection postgres, String schema, TableMapping mapping, String timeColumn)
            throws SQLException {
        try {
            return HistoricalRows.open(DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password()), schema, mapping,
                    timeColumn);
        } catch (IllegalArgumentException e) {
            throw OperatorException.invalid(e.getMessage());
        }
    }
}
