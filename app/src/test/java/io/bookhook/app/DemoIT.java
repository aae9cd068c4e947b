package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged {@code bookhook demo} as a user would, in a process of its own, twice in a row: the second
 * run must not trip over the first one's leftovers.
 */
class DemoIT {

    @Test
    void the_demo_delivers_every_sample_webhook_and_exits_zero_twice_in_a_row() throws Exception {
        for (int run = 1; run <= 2; run++) {
            Result result = runDemo();
            assertThat(result.exitCode()).as("exit code of run %d, output:%n%s", run, result.output()).isZero();
            assertThat(result.output())
                    .contains("✔ Postgres (wal_level=logical)")
                    .contains("✔ Kafka (KRaft)")
                    .contains("✔ capture streaming")
                    .contains("signing with the demo secret")
                    .contains("logs of Kafka, Debezium and Postgres: ")
                    .contains("Delivery ledger (4 deliveries):");
            assertThat(result.output().lines().filter(line -> line.contains(" delivered ")).count()).isEqualTo(4);
            assertThat(result.output()).doesNotContain("INFO").doesNotContain("WARN");
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result runDemo() throws IOException, InterruptedException {
        Path jar = Path.of("target", "bookhook.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path output = Files.createTempFile("bookhook-demo-it", ".out");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--timeout", "90s"));
        builder.environment().remove("MAKE_WEBHOOK_URL");
        builder.environment().remove("MAKE_WEBHOOK_SECRET");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process demo = builder.start();
        if (!demo.waitFor(4, TimeUnit.MINUTES)) {
            demo.destroyForcibly();
            throw new AssertionError("demo did not finish within 4 minutes:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(demo.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
