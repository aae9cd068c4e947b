package io.bookhook.app;

import io.bookhook.capture.PostgresConnection;
import io.bookhook.derive.HistoricalEvents;
import io.bookhook.derive.HistoricalRows;
import io.bookhook.derive.TableMapping;
import io.bookhook.ledger.OperatorException;
import io.bookhook.ledger.PayloadSource;
import io.bookhook.schemas.AppointmentEvent;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A resend's payload rebuilt from the booking app's rows as they are now, the way backfill derives events (derive's
 * rules and assembler: same keys, same masking), when the ledger no longer holds it. The event's {@code occurred_at} is
 * the row's BOOKHOOK_COLUMN_CREATED_AT, as backfill's.
 */
final class PostgresPayloadSource implements PayloadSource {

    private final PostgresConnection postgres;
    private final String schema;
    private final TableMapping mapping;
    private final String timeColumn;

    PostgresPayloadSource(PostgresConnection postgres, String schema, TableMapping mapping, String timeColumn) {
        this.postgres = postgres;
        this.schema = schema;
        this.mapping = mapping;
        this.timeColumn = timeColumn;
    }

    /** The source of {@code settings} when they name a Postgres (BOOKHOOK_POSTGRES_HOST set); empty otherwise. */
    static Optional<PayloadSource> of(BookhookSettings settings) {
        if (!settings.hasPostgres()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresPayloadSource(settings.postgres(), settings.postgresSchema(), settings.tableMapping(),
                settings.createdAtColumn()));
    }

    @Override
    public List<AppointmentEvent> events(String appointmentId) {
        try (HistoricalRows rows = BackfillReader.openSnapshot(postgres, schema, mapping, timeColumn)) {
            Optional<HistoricalRows.Row> row = rows.appointment(appointmentId);
            if (row.isEmpty()) {
                return List.of();
            }
            return new HistoricalEvents(mapping).of(row.get().row(), row.get().time(), rows.related(List.of(row.get().row())));
        } catch (SQLException e) {
            throw OperatorException.unavailable("cannot read appointment '" + appointmentId + "' in Postgres (" + postgres + "): "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException rowDeriveRefuses) {
            throw OperatorException.invalid(rowDeriveRefuses.getMessage());
        }
    }

    @Override
    public String description() {
        return "the booking app's rows in Postgres (" + postgres + ")";
    }
}
