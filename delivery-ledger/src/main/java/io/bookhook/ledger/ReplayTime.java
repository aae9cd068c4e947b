package io.bookhook.ledger;

import io.bookhook.runtime.settings.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code --since} of a replay: an instant with its zone ({@code 2026-11-27T09:00:00Z},
 * {@code 2026-11-27T10:00:00+01:00}), a date (its start in UTC), or a span back from now ({@code 90m}, {@code 24h},
 * {@code 2d}). A date-time without a zone is refused: which 09:00 the operator meant is not ours to guess.
 */
public final class ReplayTime {

    private static final String EXPECTED = "expected an ISO-8601 instant like 2026-11-27T09:00:00Z, a date like 2026-11-27 (UTC),"
            + " or a span back from now like 90m, 24h or 2d";

    private ReplayTime() {
    }

    /** A span back from now, in the one duration syntax of settings and options; empty when {@code value} is no span. */
    private static Optional<Duration> span(String value) {
        try {
            return Optional.of(Durations.parse(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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
        Optional<Duration> back = span(value);
        if (back.isPresent()) {
            return clock.instant().minus(back.get());
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
