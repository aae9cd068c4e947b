package io.bookhook.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.app.StageSettingsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check the deployment tests rely on finds what it should, so a green deployment test means something. */
class StageEnvironmentTest {

    private static Map<String, String> derive() {
        Map<String, String> env = new HashMap<>();
        env.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("BOOKHOOK_STATE_DIR", "/var/lib/bookhook/streams");
        return env;
    }

    @Test
    void a_complete_environment_passes_with_kafka_properties_and_launcher_options() {
        Map<String, String> env = derive();
        env.put("BOOKHOOK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("BOOKHOOK_JAVA_OPTS", "-Xmx512m");
        assertThat(StageEnvironment.problems("test", "derive", env)).isEmpty();
    }

    @Test
    void a_variable_the_stage_does_not_read_is_reported() {
        Map<String, String> env = derive();
        env.put("BOOKHOOK_STATEDIR", "/typo");
        env.put("BOOKHOOK_POSTGRES_HOST", "db"); // a capture setting, not derive's
        assertThat(StageEnvironment.problems("compose", "derive", env)).containsExactly(
                "compose: sets BOOKHOOK_POSTGRES_HOST, which bookhook derive does not read",
                "compose: sets BOOKHOOK_STATEDIR, which bookhook derive does not read");
    }

    @Test
    void a_missing_or_malformed_required_setting_is_reported() {
        Map<String, String> env = derive();
        env.remove("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(StageEnvironment.problems("chart", "derive", env))
                .containsExactly("chart: bookhook derive would stop at start: BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS is not set");

        Map<String, String> sink = derive();
        sink.remove("BOOKHOOK_STATE_DIR");
        sink.put("MAKE_WEBHOOK_URL", "not a url");
        sink.put("MAKE_WEBHOOK_SECRET", "s");
        assertThat(StageEnvironment.problems("chart", "sink", sink)).singleElement().asString()
                .startsWith("chart: bookhook sink would stop at start: MAKE_WEBHOOK_URL");
    }

    @Test
    void launcher_variables_are_read_by_both_launchers() throws Exception {
        Path root = Path.of("..");
        String repoLauncher = Files.readString(root.resolve("bookhook"));
        String imageLauncher = Files.readString(root.resolve("app/src/image/rootfs/usr/local/bin/bookhook"));
        for (String name : StageSettingsProbe.LAUNCHER_VARIABLES) {
            assertThat(repoLauncher).as("the root launcher reads " + name).contains("${" + name);
            assertThat(imageLauncher).as("the image's launcher reads " + name).contains("${" + name);
        }
    }
}
