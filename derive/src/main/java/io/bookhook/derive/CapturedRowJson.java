package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;

/**
 * A JDBC row as JSON the way capture's Debezium settings write it to the raw topics: numerics as strings,
 * {@code timestamptz} as ISO-8601 with the column's fraction digits, {@code timestamp} as epoch milliseconds, {@code date}
 * as epoch days, {@code time} as milliseconds of the day, {@code bytea} as base64, everything else as its text. What
 * backfill and a resend rebuild from the rows is then what the stream derives.
 */
final class CapturedRowJson {

    private CapturedRowJson() {
    }

    /** The current row of {@code result}. */
    static ObjectNode of(ResultSet result, ResultSetMetaData meta) throws SQLException {
        ObjectNode row = Json.mapper().createObjectNode();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnLabel(i);
            if (result.getObject(i) == null) {
                row.putNull(name);
                continue;
            }
            switch (meta.getColumnTypeName(i)) {
                case "int2", "int4", "serial", "smallserial" -> row.put(name, result.getInt(i));
                case "int8", "bigserial", "oid" -> row.put(name, result.getLong(i));
                case "numeric" -> row.put(name, result.getBigDecimal(i).toPlainString());
                case "float4" -> row.put(name, result.getFloat(i));
                case "float8" -> row.put(name, result.getDouble(i));
                case "bool" -> row.put(name, result.getBoolean(i));
                case "timestamptz" -> row.put(name, zoned(result.getObject(i, OffsetDateTime.class).toInstant(), meta.getScale(i)));
                case "timestamp" -> row.put(name, result.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli());
                case "date" -> row.put(name, (int) result.getObject(i, LocalDate.class).toEpochDay());
                case "time" -> row.put(name, (int) (result.getObject(i, LocalTime.class).toNanoOfDay() / 1_000_000));
                case "bytea" -> row.put(name, Base64.getEncoder().encodeToString(result.getBytes(i)));
                default -> row.put(name, result.getString(i));
            }
        }
        return row;
    }

    /** Debezium's ZonedTimestamp text: UTC, with as many fraction digits as the column keeps (6 unless declared). */
    static String zoned(Instant instant, int scale) {
        int digits = scale < 0 || scale > 9 ? 6 : scale;
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd'T'HH:mm:ss");
        if (digits > 0) {
            builder.appendFraction(ChronoField.NANO_OF_SECOND, digits, digits, true);
        }
        DateTimeFormatter format = builder.appendLiteral('Z').toFormatter();
        return format.format(instant.atOffset(ZoneOffset.UTC));
    }
}
