package io.bookhook.app;

import java.lang.reflect.Constructor;
import java.util.Map;
import picocli.CommandLine;

/** Hands each command the environment it reads its settings from, so tests can run commands with their own. */
final class EnvironmentFactory implements CommandLine.IFactory {

    private final Map<String, String> environment;

    EnvironmentFactory(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            Constructor<K> withEnvironment = type.getDeclaredConstructor(Map.class);
            withEnvironment.setAccessible(true);
            return withEnvironment.newInstance(environment);
        } catch (NoSuchMethodException noEnvironment) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
