package io.bookhook.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --since} of a replay: an instant with its zone ({@code 2026-11-27T09:00:00Z},
 * {@code 2026-11-27T10:00:00+01:00}), a date (its start in UTC), or a span back from now ({@code 90m}, {@code 24h},
 * {@code 2d}). A date-time without a zone is refused: which 09:00 the operator meant is not ours to guess.
 */
public final class ReplayTime {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(s|m|h|d)");
    private static final String EXPECTED = "expected an ISO-8601 instant like 2026-11-27T09:00:00Z, a date like 2026-11-27 (UTC),"
            + " or a span back from now like 90m, 24h or 2d";

    private ReplayTime() {
    }

    public static Instant parse(String text, Clock clock) {
        String value = text == null ? "" : text.strip();
        Instant since = parseAny(value, clock);
        if (since.isAfter(clock.instant())) {
            throw OperatorException.invalid("--since " + value + " is in the future: there is nothing to replay yet");
        }
        return since;
    }

    private static Instant parseAny(String value, Clock clock) {
        Matcher relative = RELATIVE.matcher(value.toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration back = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(back);
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (value.endsWith("Z") || value.endsWith("z")) {
                return Instant.parse(value.toUpperCase(Locale.ROOT));
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw OperatorException.invalid("cannot read --since '" + value + "': " + EXPECTED);
        }
    }
}
