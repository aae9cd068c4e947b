package io.bookhook.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Operator commands own the terminal: their stdout is their result (a table, a line), which a script may read, so no
 * log line may land in it. And the Kafka client's reconnect warnings ("Connection to node -1 could not be
 * established") would bury the one line that says what went wrong. Errors still show, on stderr.
 */
final class OperatorLogging {

    private OperatorLogging() {
    }

    /** Every log line to stderr, errors only: what {@code deliveries}, {@code retry}, {@code resend} and the others run with. */
    static void errorsToStderr() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.ERROR);
        root.addAppender(stderr);
    }

    /** For a command that runs as a service (admin): its own logs stay, the Kafka client's reconnect warnings go. */
    static void quietKafkaClients() {
        if (LoggerFactory.getLogger("org.apache.kafka.clients") instanceof Logger clients) {
            clients.setLevel(Level.ERROR);
        }
    }
}
