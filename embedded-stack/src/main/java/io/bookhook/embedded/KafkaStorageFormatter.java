package io.bookhook.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@code kafka-storage format} in-process: KRaft refuses to start on unformatted log dirs. */
final class KafkaStorageFormatter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStorageFormatter.class);

    private KafkaStorageFormatter() {
    }

    static void format(Path propertiesFile, Properties brokerProperties, String clusterId, String... extraArguments) {
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            brokerProperties.store(out, "single-node KRaft broker written by EmbeddedKafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + propertiesFile, e);
        }
        // A static quorum (controller.quorum.voters) needs neither --standalone nor --initial-controllers.
        List<String> arguments = new ArrayList<>(List.of("format", "--cluster-id", clusterId, "--config", propertiesFile.toString()));
        arguments.addAll(List.of(extraArguments));
        String[] args = arguments.toArray(String[]::new);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, printStream);
        } catch (RuntimeException e) {
            throw new IllegalStateException("kafka-storage format failed: " + output.toString(StandardCharsets.UTF_8), e);
        }
        String text = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IllegalStateException("kafka-storage format exited with " + exitCode + ": " + text);
        }
        LOG.debug("kafka-storage format: {}", text);
    }
}
