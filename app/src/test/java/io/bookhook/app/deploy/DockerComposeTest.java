package io.bookhook.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.app.StageSettingsProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and .env, read as Compose would (YAML merge keys, ${VAR} interpolation from .env), checked
 * against the code: each bookhook service starts with its environment and sets nothing bookhook does not read.
 * Running the file needs a Docker engine, which this machine does not have; see the README.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    private static final List<String> BOOKHOOK_SERVICES = List.of("capture", "derive", "sink", "admin", "mock-receiver");

    private static Map<String, String> dotEnv;
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        dotEnv = readDotEnv(ROOT.resolve(".env"));
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Object>) interpolate(compose.get("services"));
    }

    static Map<String, String> readDotEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            assertThat(equals).as(".env line '%s' is NAME=value", trimmed).isPositive();
            values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        return values;
    }

    /** Compose's interpolation, from .env only: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}. */
    private static Object interpolate(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, value) -> out.put(String.valueOf(key), interpolate(value)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(DockerComposeTest::interpolate).collect(Collectors.toList());
        }
        if (node instanceof String text) {
            Matcher matcher = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = dotEnv.get(matcher.group(1));
                String operator = matcher.group(2);
                boolean unset = value == null || (value.isEmpty() && operator != null && operator.startsWith(":"));
                if (unset && operator != null && operator.endsWith("-")) {
                    value = matcher.group(3);
                }
                assertThat(value).as("${%s} in docker-compose.yml is defined in .env", matcher.group(1)).isNotNull();
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            return out.toString();
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> out = new TreeMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object entry : list) {
                String[] kv = String.valueOf(entry).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(String service) {
        Object command = service(service).get("command");
        assertThat(command).as("%s has a command in exec form", service).isInstanceOf(List.class);
        return ((List<Object>) command).stream().map(String::valueOf).toList();
    }

    @Test
    void every_bookhook_service_starts_with_its_environment_and_sets_only_what_bookhook_reads() {
        List<String> problems = new ArrayList<>();
        for (String name : BOOKHOOK_SERVICES) {
            assertThat(service(name).get("image")).isEqualTo(dotEnv.get("BOOKHOOK_IMAGE"));
            String stage = command(name).get(0);
            assertThat(stage).isEqualTo(name);
            problems.addAll(StageEnvironment.problems("docker-compose.yml service " + name, stage, environment(name)));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void the_endpoints_override_mounts_an_endpoints_file_the_sink_reads_with_the_secrets_it_names() throws IOException {
        Map<String, Object> override = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.endpoints.yml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> sinkOverride = (Map<String, Object>) ((Map<String, Object>) interpolate(override.get("services"))).get("sink");
        Map<String, String> env = environment("sink");
        ((Map<?, ?>) sinkOverride.get("environment")).forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        String mount = String.valueOf(((List<?>) sinkOverride.get("volumes")).get(0));
        String[] parts = mount.split(":");
        assertThat(parts[1]).as("mounted where BOOKHOOK_ENDPOINTS_FILE points").isEqualTo(env.get("BOOKHOOK_ENDPOINTS_FILE"));
        env.put("BOOKHOOK_ENDPOINTS_FILE", ROOT.resolve(parts[0]).toString());

        assertThat(StageEnvironment.problems("docker-compose.endpoints.yml service sink", "sink", env)).isEmpty();
        assertThat(io.bookhook.sink.EndpointsFile.read(ROOT.resolve(parts[0]), name -> java.util.Optional.ofNullable(env.get(name))))
                .extracting(io.bookhook.sink.EndpointSettings::name).containsExactly("new-bookings", "salon-one");
    }

    @Test
    void every_service_command_is_one_the_cli_accepts() {
        for (String name : BOOKHOOK_SERVICES) {
            List<String> command = command(name);
            assertThat(StageSettingsProbe.parse(command)).isEqualTo(command.get(0));
        }
    }

    @Test
    void admin_listens_on_all_addresses_of_its_container_behind_a_loopback_port() {
        List<String> admin = command("admin");
        assertThat(admin.get(admin.indexOf("--bind") + 1)).isEqualTo("0.0.0.0");
        String port = admin.get(admin.indexOf("--port") + 1);
        assertThat(service("admin").get("ports")).isEqualTo(List.of("127.0.0.1:8080:" + port));
    }

    @Test
    void admin_beyond_the_loopback_of_its_container_has_a_token_from_env() throws IOException {
        assertThat(environment("admin").get("BOOKHOOK_ADMIN_TOKEN")).as("bookhook admin refuses 0.0.0.0 without a token")
                .isNotBlank().isEqualTo(dotEnv.get("BOOKHOOK_ADMIN_TOKEN"));
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).as("the value stays in .env")
                .doesNotContain(dotEnv.get("BOOKHOOK_ADMIN_TOKEN"));
    }

    @Test
    void image_versions_in_env_match_the_build() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(dotEnv.get("KAFKA_IMAGE")).isEqualTo("apache/kafka:" + property(pom, "kafka.version"));
        String postgresMajor = property(pom, "postgres.binaries.version").split("\\.")[0];
        assertThat(dotEnv.get("POSTGRES_IMAGE")).isEqualTo("postgres:" + postgresMajor);
        String version = property(Files.readString(ROOT.resolve("app/pom.xml")).replaceFirst("(?s)<artifactId>app</artifactId>.*", ""), "version");
        assertThat(dotEnv.get("BOOKHOOK_IMAGE")).isEqualTo("bookhook:" + version);
    }

    private static String property(String xml, String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(xml);
        assertThat(matcher.find()).as("<%s> in pom", name).isTrue();
        return matcher.group(1).strip();
    }

    @Test
    void postgres_runs_logical_replication_with_the_reference_schema_of_the_tests() {
        assertThat(command("postgres")).contains("wal_level=logical");
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) service("postgres").get("volumes");
        String schemaMount = volumes.stream().filter(v -> v.contains("reference-schema.sql")).findFirst().orElseThrow();
        String[] parts = schemaMount.split(":");
        assertThat(ROOT.resolve(parts[0])).as("mounted from the test-support module, not a copy").isRegularFile()
                .hasFileName("reference-schema.sql");
        assertThat(parts[0]).startsWith("./embedded-stack/src/main/resources/");
        assertThat(parts[1]).startsWith("/docker-entrypoint-initdb.d/");

        Map<String, String> postgres = environment("postgres");
        Map<String, String> capture = environment("capture");
        assertThat(capture.get("BOOKHOOK_POSTGRES_HOST")).isEqualTo("postgres");
        assertThat(capture.get("BOOKHOOK_POSTGRES_DB")).isEqualTo(postgres.get("POSTGRES_DB"));
        assertThat(capture.get("BOOKHOOK_POSTGRES_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(capture.get("BOOKHOOK_POSTGRES_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
    }

    @Test
    void kafka_is_a_three_node_kraft_cluster_that_every_stage_reaches() {
        List<String> nodes = services.keySet().stream().filter(s -> s.startsWith("kafka-")).sorted().toList();
        assertThat(nodes).containsExactly("kafka-1", "kafka-2", "kafka-3");
        List<String> advertised = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Map<String, String> env = environment(nodes.get(i));
            assertThat(service(nodes.get(i)).get("image")).isEqualTo(dotEnv.get("KAFKA_IMAGE"));
            assertThat(env.get("KAFKA_NODE_ID")).isEqualTo(String.valueOf(i + 1));
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(Uuid.fromString(env.get("CLUSTER_ID"))).as("CLUSTER_ID is a Kafka cluster id").isNotNull();
            assertThat(Integer.parseInt(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")))
                    .isLessThan(Integer.parseInt(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")));
            advertised.add(env.get("KAFKA_ADVERTISED_LISTENERS").replace("PLAINTEXT://", ""));
        }
        assertThat(environment("kafka-1").get("CLUSTER_ID")).isEqualTo(environment("kafka-3").get("CLUSTER_ID"));
        for (String stage : List.of("capture", "derive", "sink", "admin")) {
            assertThat(environment(stage).get("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(String.join(",", advertised));
        }
        int replication = Integer.parseInt(environment("capture").get("BOOKHOOK_TOPIC_REPLICATION_FACTOR"));
        assertThat(replication).isBetween(1, nodes.size());
    }

    @Test
    void the_sink_posts_to_the_mock_receiver_with_the_secret_it_checks() {
        List<String> receiver = command("mock-receiver");
        String port = receiver.get(receiver.indexOf("--port") + 1);
        assertThat(receiver.get(receiver.indexOf("--host") + 1)).isEqualTo("0.0.0.0");
        Map<String, String> sink = environment("sink");
        assertThat(sink.get("MAKE_WEBHOOK_URL")).isEqualTo("http://mock-receiver:" + port + "/webhook");
        assertThat(sink.get("MAKE_WEBHOOK_SECRET")).isEqualTo(environment("mock-receiver").get("MAKE_WEBHOOK_SECRET"))
                .isNotBlank();
    }

    @Test
    void capture_runs_once() {
        Object deploy = service("capture").get("deploy");
        assertThat(deploy == null || !((Map<?, ?>) deploy).containsKey("replicas")
                || Integer.parseInt(String.valueOf(((Map<?, ?>) deploy).get("replicas"))) == 1).isTrue();
    }
}
