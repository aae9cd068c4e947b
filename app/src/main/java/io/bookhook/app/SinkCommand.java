package io.bookhook.app;

import io.bookhook.sink.WebhookSink;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Posts each appointment event, signed, to MAKE_WEBHOOK_URL and records every delivery in bookhook.delivery-ledger.")
final class SinkCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    SinkCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        WebhookSink sink = new WebhookSink(new BookhookSettings(environment).sink());
        Thread worker = new Thread(sink, "bookhook-sink");
        worker.start();
        return StageRunner.runUntilStopped("sink", sink, sink.stopped());
    }
}
