package io.bookhook.app.deploy;

import io.bookhook.app.StageSettingsProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The check every deployment file gets, per container: bookhook's stage starts with this environment (no
 * SettingsException, so every required variable is set and well-formed), and every variable set is one bookhook
 * reads: a setting the stage looked up, a Kafka client property passed through, or a launcher variable.
 */
final class StageEnvironment {

    private StageEnvironment() {
    }

    /** Problems found, each naming the deployment file and container; empty when the environment is right. */
    static List<String> problems(String where, String stage, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        StageSettingsProbe.Names names;
        try {
            names = StageSettingsProbe.read(stage, environment);
        } catch (RuntimeException e) {
            if (!StageSettingsProbe.isSettingsException(e)) {
                throw e;
            }
            problems.add(where + ": bookhook " + stage + " would stop at start: " + e.getMessage());
            return problems;
        }
        environment.keySet().stream().sorted()
                .filter(name -> !names.read().contains(name))
                .filter(name -> !name.startsWith(StageSettingsProbe.KAFKA_PASS_THROUGH_PREFIX))
                .filter(name -> !StageSettingsProbe.LAUNCHER_VARIABLES.contains(name))
                .forEach(name -> problems.add(where + ": sets " + name + ", which bookhook " + stage + " does not read"));
        return problems;
    }
}
