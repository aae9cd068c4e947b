package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.mockreceiver.ReceivedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged {@code bookhook demo} as a user would, in a process of its own, twice in a row: the second
 * run must not trip over the first one's leftovers. The second posts to the endpoints of an endpoints file instead of
 * its own receiver.
 */
class DemoIT {

    @Test
    void the_demo_delivers_every_sample_webhook_and_exits_zero_twice_in_a_row_the_second_time_to_an_endpoints_file(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Result result = runDemo(Map.of());
        assertThat(result.exitCode()).as("exit code of run 1, output:%n%s", result.output()).isZero();
        assertThat(result.output())
                .contains("✔ Postgres (wal_level=logical)")
                .contains("✔ Kafka (KRaft)")
                .contains("✔ capture streaming")
                .contains("signing with the demo secret")
                .contains("logs of Kafka, Debezium and Postgres: ")
                .contains("Delivery ledger (4 deliveries):");
        assertThat(result.output().lines().filter(line -> line.contains(" delivered ")).count()).isEqualTo(4);
        assertThat(result.output()).doesNotContain("INFO").doesNotContain("WARN");

        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try (MockReceiver bookings = MockReceiver.start(MockReceiverConfig.defaults("bookings-secret"), quiet);
             MockReceiver everything = MockReceiver.start(MockReceiverConfig.defaults("all-secret"), quiet)) {
            Path file = dir.resolve("endpoints.yaml");
            Files.writeString(file, "endpoints:\n"
                    + "  - {name: new-bookings, url: '" + bookings.url() + "', secret_env: BOOKINGS_SECRET, events: [created]}\n"
                    + "  - {name: everything, url: '" + everything.url() + "', secret_env: ALL_SECRET, salons: [1]}\n");
            Result toFile = runDemo(Map.of("BOOKHOOK_ENDPOINTS_FILE", file.toString(), "BOOKINGS_SECRET", "bookings-secret",
                    "ALL_SECRET", "all-secret"));

            assertThat(toFile.exitCode()).as("exit code of run 2, output:%n%s", toFile.output()).isZero();
            assertThat(toFile.output()).contains("posting to the endpoints of BOOKHOOK_ENDPOINTS_FILE: new-bookings, everything")
                    .contains("Delivery ledger (7 deliveries):").doesNotContain("demo secret");
            assertThat(toFile.output().lines().filter(line -> line.contains(" new-bookings ") && line.contains(" delivered ")).count())
                    .isEqualTo(3);
            assertThat(toFile.output().lines().filter(line -> line.contains(" everything ") && line.contains(" delivered ")).count())
                    .isEqualTo(4);
            assertThat(bookings.received()).hasSize(3).allMatch(ReceivedRequest::signatureValid);
            assertThat(everything.received()).hasSize(4).allMatch(ReceivedRequest::signatureValid);
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result runDemo(Map<String, String> environment) throws IOException, InterruptedException {
        Path jar = Path.of("target", "bookhook.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path output = Files.createTempFile("bookhook-demo-it", ".out");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--timeout", "90s"));
        builder.environment().remove("MAKE_WEBHOOK_URL");
        builder.environment().remove("MAKE_WEBHOOK_SECRET");
        builder.environment().remove("BOOKHOOK_ENDPOINTS_FILE");
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process demo = builder.start();
        if (!demo.waitFor(4, TimeUnit.MINUTES)) {
            demo.destroyForcibly();
            throw new AssertionError("demo did not finish within 4 minutes:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(demo.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
