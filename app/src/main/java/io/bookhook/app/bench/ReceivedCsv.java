package io.bookhook.app.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * received.csv: one line per answer the receiver gave, in the order given, after a header line:
 * {@code idempotency_key,occurred_at_ms,answered_at_ms,status,attempt,phase}.
 */
public final class ReceivedCsv {

    public static final String HEADER = "idempotency_key,occurred_at_ms,answered_at_ms,status,attempt,phase";

    private ReceivedCsv() {
    }

    /** Writes the file; returns the number of answer lines (the header not counted). */
    public static int write(Path file, LatencyLog log, RowPhases phases) throws IOException {
        int[] lines = {0};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            log.forEach(answer -> {
                try {
                    out.write(answer.idempotencyKey() + "," + (answer.occurredAtMs() == LatencyLog.UNKNOWN_TIME ? "" : answer.occurredAtMs())
                            + "," + answer.answeredAtMs() + "," + answer.status() + "," + answer.attempt() + ","
                            + phases.phaseOf(answer).csvName());
                    out.newLine();
                    lines[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return lines[0];
    }
}
