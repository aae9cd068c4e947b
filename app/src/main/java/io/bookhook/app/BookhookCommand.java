package io.bookhook.app;

import picocli.CommandLine.Command;

@Command(name = "bookhook", mixinStandardHelpOptions = true, version = "bookhook 0.1.0",
        description = "Turns the rows a booking app writes to Postgres into signed webhooks.",
        subcommands = {CaptureCommand.class, DeriveCommand.class, SinkCommand.class, AdminCommand.class,
                DeliveriesCommand.class, RetryCommand.class, ResendCommand.class, ForgetCommand.class, ReplayCommand.class, BackfillCommand.class, EndpointsCommand.class, PauseCommand.class,
                ResumeCommand.class, MockReceiverCommand.class})
final class BookhookCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
