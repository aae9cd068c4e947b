package io.bookhook.app;

import io.bookhook.capture.CaptureEngine;
import io.bookhook.capture.CaptureSettings;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Streams the booking tables from Postgres (logical replication, pgoutput) to bookhook.cdc.<table>.")
final class CaptureCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    CaptureCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        BookhookSettings settings = new BookhookSettings(environment);
        CaptureSettings capture = settings.capture();
        try (Admin admin = Admin.create(new java.util.HashMap<>(capture.kafkaClient()))) {
            new TopicProvisioner(admin, settings.topicLayout())
                    .ensure(capture.topics(), settings.tableMapping());
        }
        CaptureEngine engine = CaptureEngine.start(capture);
        return StageRunner.runUntilStopped("capture", engine, engine.stopped());
    }
}
