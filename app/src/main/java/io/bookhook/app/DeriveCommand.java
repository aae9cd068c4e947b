package io.bookhook.app;

import io.bookhook.derive.DeriveStreams;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "derive", mixinStandardHelpOptions = true,
        description = "Derives created / confirmed appointment events (Kafka Streams, exactly once) onto bookhook.appointment-events.")
final class DeriveCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    DeriveCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        DeriveStreams derive = DeriveStreams.start(new BookhookSettings(environment).derive());
        return StageRunner.runUntilStopped("derive", derive, derive.stopped());
    }
}
