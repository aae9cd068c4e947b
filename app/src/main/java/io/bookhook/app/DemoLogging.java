package io.bookhook.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Sends every log line of the demo's (or the bench's) embedded components to one file, so the terminal shows only progress. */
final class DemoLogging {

    private DemoLogging() {
    }

    static void toFile(Path logFile) {
        toFile(logFile, "/logback-demo.xml");
    }

    /** The same with another configuration resource (one that writes to {@code ${bookhook.log.file}}). */
    static void toFile(Path logFile, String configuration) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("bookhook.log.file", logFile.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(DemoLogging.class.getResource(configuration));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure demo logging: " + e.getMessage(), e);
        }
    }
}
