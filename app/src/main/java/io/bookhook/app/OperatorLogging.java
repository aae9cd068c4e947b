package io.bookhook.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator commands own the terminal: the Kafka client's reconnect warnings ("Connection to node -1 could not be
 * established") would bury the one line that says what went wrong. Errors still show.
 */
final class OperatorLogging {

    private OperatorLogging() {
    }

    static void quietKafkaClients() {
        if (LoggerFactory.getLogger("org.apache.kafka.clients") instanceof Logger clients) {
            clients.setLevel(Level.ERROR);
        }
    }
}
