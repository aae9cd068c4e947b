package io.bookhook.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.bookhook.app.KafkaSaslSslVariables;
import io.bookhook.app.StageSettingsProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * helm/bookhook rendered by the real Helm engine (helm-java, through JNI), and every rendered Deployment's
 * environment checked against the code, as for docker-compose.yml. Secrets the chart creates are resolved from the
 * rendered Secret; Secrets that exist in the cluster get a placeholder of the right shape.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("..", "helm", "bookhook");
    private static final List<String> STAGES = List.of("capture", "derive", "sink", "admin");
    private static final Map<String, Object> REQUIRED = Map.of(
            "kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092",
            "postgres.host", "booking-db",
            "postgres.database", "booking",
            "postgres.user", "bookhook",
            "postgres.password", "pg-password-value",
            "webhook.url", "https://hook.eu1.make.com/abc123",
            "webhook.secret", "signing-secret-value",
            "admin.tokens.operator", "admin-token-value");

    private static List<Map<String, Object>> render(Map<String, Object> sets, Path valuesFile) {
        TemplateCommand template = new Helm(CHART).template().withName("r").withNamespace("bookhook");
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String yaml = template.call();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    private static List<Map<String, Object>> renderDefaults() {
        return render(REQUIRED, null);
    }

    private static List<Map<String, Object>> renderProduction() throws URISyntaxException {
        Path values = Path.of(Objects.requireNonNull(HelmChartTest.class.getResource("helm-values-production.yaml")).toURI());
        return render(Map.of(), values);
    }

    private static List<Map<String, Object>> renderEndpoints() throws URISyntaxException {
        Path values = Path.of(Objects.requireNonNull(HelmChartTest.class.getResource("helm-values-endpoints.yaml")).toURI());
        return render(Map.of(), values);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static Object at(Map<String, Object> node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> deployment(List<Map<String, Object>> documents, String stage) {
        return ofKind(documents, "Deployment").stream()
                .filter(d -> stage.equals(map(at(d, "metadata.labels")).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment for " + stage));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(at(deployment, "spec.template.spec.containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    /** The container's environment as the pod would see it, Secrets resolved. */
    private static Map<String, String> environment(List<Map<String, Object>> documents, Map<String, Object> container) {
        Map<String, String> env = new TreeMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> entry = map(item);
            String name = (String) entry.get("name");
            assertThat(env).as("%s set twice", name).doesNotContainKey(name);
            if (entry.containsKey("value")) {
                env.put(name, String.valueOf(entry.get("value")));
            } else {
                Map<String, Object> ref = map(at(entry, "valueFrom.secretKeyRef"));
                assertThat(ref).as("%s comes from a Secret", name).isNotNull();
                env.put(name, secretValue(documents, name, (String) ref.get("name"), (String) ref.get("key")));
            }
        }
        if (env.containsKey("BOOKHOOK_ENDPOINTS_FILE")) {
            env.put("BOOKHOOK_ENDPOINTS_FILE", mountedEndpointsFile(documents, container, env.get("BOOKHOOK_ENDPOINTS_FILE")).toString());
        }
        return env;
    }

    /** The endpoints file as the pod sees it: the ConfigMap mounted at the path BOOKHOOK_ENDPOINTS_FILE names, copied to a file here. */
    private static Path mountedEndpointsFile(List<Map<String, Object>> documents, Map<String, Object> container, String path) {
        Map<String, Object> mount = list(container.get("volumeMounts")).stream().map(HelmChartTest::map)
                .filter(m -> path.startsWith(m.get("mountPath") + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted where BOOKHOOK_ENDPOINTS_FILE points: " + path));
        String configMapName = ofKind(documents, "Deployment").stream()
                .flatMap(d -> list(at(d, "spec.template.spec.volumes")).stream().map(HelmChartTest::map))
                .filter(v -> mount.get("name").equals(v.get("name")) && v.containsKey("configMap"))
                .map(v -> (String) map(v.get("configMap")).get("name")).findFirst()
                .orElseThrow(() -> new AssertionError("the volume at " + mount.get("mountPath") + " is not a ConfigMap"));
        Map<String, Object> configMap = ofKind(documents, "ConfigMap").stream().filter(c -> configMapName.equals(at(c, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + configMapName));
        String file = path.substring(((String) mount.get("mountPath")).length() + 1);
        try {
            Path copy = Files.createTempFile("endpoints-", ".yaml");
            Files.writeString(copy, String.valueOf(map(configMap.get("data")).get(file)));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String secretValue(List<Map<String, Object>> documents, String variable, String secret, String key) {
        for (Map<String, Object> rendered : ofKind(documents, "Secret")) {
            if (secret.equals(at(rendered, "metadata.name"))) {
                Object value = map(rendered.get("stringData")).get(key);
                assertThat(value).as("Secret %s has key %s", secret, key).isNotNull();
                return String.valueOf(value);
            }
        }
        // A Secret that exists in the cluster: a value of the right shape
        return variable.endsWith("_URL") ? "https://receiver.example.com/hook" : "secret:" + secret + "/" + key;
    }

    private static List<String> problems(List<Map<String, Object>> documents, String label) {
        List<String> problems = new ArrayList<>();
        for (String stage : STAGES) {
            Map<String, Object> container = container(deployment(documents, stage));
            List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
            assertThat(args.get(0)).isEqualTo(stage);
            assertThat(StageSettingsProbe.parse(args)).as("the CLI accepts %s", args).isEqualTo(stage);
            problems.addAll(StageEnvironment.problems(label + " Deployment " + stage, stage, environment(documents, container)));
        }
        return problems;
    }

    @Test
    void every_stage_starts_with_its_environment_and_sets_only_what_bookhook_reads() throws Exception {
        assertThat(problems(renderDefaults(), "default values:")).isEmpty();
        assertThat(problems(renderProduction(), "helm-values-production.yaml:")).isEmpty();
        assertThat(problems(renderEndpoints(), "helm-values-endpoints.yaml:")).isEmpty();
    }

    @Test
    void sink_endpoints_become_a_config_map_mounted_into_the_sink_with_the_secrets_they_name_from_secret_refs() throws Exception {
        List<Map<String, Object>> documents = renderEndpoints();
        Map<String, Object> sink = container(deployment(documents, "sink"));
        Map<String, String> env = environment(documents, sink);

        assertThat(env).containsKeys("BOOKHOOK_ENDPOINTS_FILE", "MAKE_BOOKINGS_SECRET", "CRM_SECRET")
                .doesNotContainKeys("MAKE_WEBHOOK_URL", "MAKE_WEBHOOK_SECRET");
        List<io.bookhook.sink.EndpointSettings> endpoints = io.bookhook.sink.EndpointsFile.read(Path.of(env.get("BOOKHOOK_ENDPOINTS_FILE")),
                name -> java.util.Optional.ofNullable(env.get(name)));
        assertThat(endpoints).extracting(e -> e.name() + " " + e.events() + " " + new java.util.TreeSet<>(e.salons()) + " " + e.maxInFlight() + " " + e.ratePerSecond())
                .containsExactly("make-bookings [CREATED] [] 100 0.0", "crm [] [1, 7] 50 20.0");
        assertThat(ofKind(documents, "Secret")).as("no webhook Secret when the endpoints name their own")
                .noneMatch(secret -> map(secret.get("stringData")).containsKey("webhook-url"));
        assertThat(String.valueOf(ofKind(documents, "ConfigMap"))).doesNotContain("signing-secret-value");
    }

    @Test
    void kafka_client_properties_pass_through_with_secrets_from_secret_refs() throws Exception {
        List<Map<String, Object>> documents = renderProduction();
        for (String stage : STAGES) {
            Map<String, Object> container = container(deployment(documents, stage));
            Map<String, String> env = environment(documents, container);
            assertThat(env).containsEntry("BOOKHOOK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("BOOKHOOK_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/bookhook/kafka/truststore.jks")
                    .containsEntry("BOOKHOOK_KAFKA_SASL_JAAS_CONFIG", "secret:kafka-client/jaas");
            assertThat(list(container.get("volumeMounts"))).anySatisfy(mount ->
                    assertThat(map(mount)).containsEntry("mountPath", "/etc/bookhook/kafka").containsEntry("readOnly", true));
        }
    }

    @Test
    void postgres_tls_settings_and_their_secret_reach_capture_alone() throws Exception {
        Map<String, Object> sets = new LinkedHashMap<>(REQUIRED);
        sets.put("postgres.sslmode", "verify-full");
        sets.put("postgres.sslrootcert", "/etc/bookhook/postgres/ca.pem");
        sets.put("postgres.tlsSecret", "booking-db-tls");
        List<Map<String, Object>> documents = render(sets, null);

        Map<String, Object> capture = container(deployment(documents, "capture"));
        assertThat(environment(documents, capture)).containsEntry("BOOKHOOK_POSTGRES_SSLMODE", "verify-full")
                .containsEntry("BOOKHOOK_POSTGRES_SSLROOTCERT", "/etc/bookhook/postgres/ca.pem")
                .doesNotContainKeys("BOOKHOOK_POSTGRES_SSLCERT", "BOOKHOOK_POSTGRES_SSLKEY");
        assertThat(list(capture.get("volumeMounts"))).anySatisfy(mount ->
                assertThat(map(mount)).containsEntry("name", "postgres-tls").containsEntry("mountPath", "/etc/bookhook/postgres")
                        .containsEntry("readOnly", true));
        assertThat(list(at(deployment(documents, "capture"), "spec.template.spec.volumes"))).anySatisfy(volume ->
                assertThat(at(map(volume), "secret.secretName")).isEqualTo("booking-db-tls"));
        for (String stage : List.of("derive", "sink", "admin")) {
            assertThat(list(container(deployment(documents, stage)).get("volumeMounts"))).as(stage)
                    .noneSatisfy(mount -> assertThat(map(mount)).containsEntry("name", "postgres-tls"));
        }
        assertThat(environment(renderDefaults(), container(deployment(renderDefaults(), "capture"))))
                .as("by default").containsEntry("BOOKHOOK_POSTGRES_SSLMODE", "prefer").doesNotContainKey("BOOKHOOK_POSTGRES_SSLROOTCERT");
    }

    @Test
    void tls_and_sasl_values_give_every_stage_exactly_the_kafka_variables_the_sasl_ssl_test_runs_with() throws Exception {
        Path values = Path.of(Objects.requireNonNull(HelmChartTest.class.getResource("helm-values-kafka-sasl-ssl.yaml")).toURI());
        List<Map<String, Object>> documents = render(Map.of(), values);
        assertThat(problems(documents, "helm-values-kafka-sasl-ssl.yaml:")).isEmpty();
        Map<String, String> secretRefs = Map.of("BOOKHOOK_KAFKA_SASL_JAAS_CONFIG", "kafka-client/jaas",
                "BOOKHOOK_KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka-client/truststore-password");
        assertThat(secretRefs.keySet()).isEqualTo(KafkaSaslSslVariables.SECRET);
        for (String stage : STAGES) {
            Map<String, Object> container = container(deployment(documents, stage));
            Map<String, Map<String, Object>> kafkaEntries = new TreeMap<>();
            for (Object item : list(container.get("env"))) {
                String name = (String) map(item).get("name");
                // bookhook's own settings under the prefix (the record limit), not Kafka client properties
                if (name.startsWith("BOOKHOOK_KAFKA_") && !name.equals("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES")) {
                    kafkaEntries.put(name, map(item));
                }
            }
            assertThat(kafkaEntries.keySet()).as(stage).isEqualTo(KafkaSaslSslVariables.names());
            kafkaEntries.forEach((name, entry) -> {
                if (secretRefs.containsKey(name)) {
                    Map<String, Object> ref = map(at(entry, "valueFrom.secretKeyRef"));
                    assertThat(entry).as("%s in %s", name, stage).doesNotContainKey("value");
                    assertThat(ref.get("name") + "/" + ref.get("key")).as("%s in %s", name, stage).isEqualTo(secretRefs.get(name));
                } else {
                    assertThat(entry).as("%s in %s", name, stage).containsKey("value").doesNotContainKey("valueFrom");
                }
            });
            assertThat(kafkaEntries.get("BOOKHOOK_KAFKA_SECURITY_PROTOCOL")).containsEntry("value", "SASL_SSL");
            assertThat(kafkaEntries.get("BOOKHOOK_KAFKA_SASL_MECHANISM")).containsEntry("value", "SCRAM-SHA-512");
            assertThat(kafkaEntries.get("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_TYPE")).containsEntry("value", "PKCS12");
            // The trust store is where the chart mounts the tlsSecret.
            assertThat(kafkaEntries.get("BOOKHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION")).containsEntry("value", "/etc/bookhook/kafka/truststore.p12");
            assertThat(list(container.get("volumeMounts"))).anySatisfy(mount ->
                    assertThat(map(mount)).containsEntry("name", "kafka-tls").containsEntry("mountPath", "/etc/bookhook/kafka"));
            assertThat(list(at(deployment(documents, stage), "spec.template.spec.volumes"))).anySatisfy(volume ->
                    assertThat(at(map(volume), "secret.secretName")).isEqualTo("kafka-truststore"));
        }
    }

    @Test
    void the_record_limit_and_topic_retention_reach_every_stage_that_writes_to_kafka() throws Exception {
        List<Map<String, Object>> documents = renderProduction();
        for (String stage : List.of("capture", "derive", "sink")) {
            Map<String, String> env = environment(documents, container(deployment(documents, stage)));
            assertThat(env).as(stage).containsEntry("BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES", "1048576").containsEntry("BOOKHOOK_TOPIC_RETENTION", "forever");
        }
    }

    @Test
    void the_ledger_payload_retention_reaches_the_sink_alone() throws Exception {
        List<Map<String, Object>> documents = renderProduction();
        assertThat(environment(documents, container(deployment(documents, "sink")))).containsEntry("BOOKHOOK_LEDGER_PAYLOAD_RETENTION", "30d");
        for (String stage : List.of("capture", "derive", "admin")) {
            assertThat(environment(documents, container(deployment(documents, stage)))).as(stage)
                    .doesNotContainKey("BOOKHOOK_LEDGER_PAYLOAD_RETENTION");
        }
    }

    @Test
    void no_secret_is_written_into_a_deployment() throws Exception {
        for (List<Map<String, Object>> documents : List.of(renderDefaults(), renderProduction())) {
            for (String stage : STAGES) {
                for (Object item : list(container(deployment(documents, stage)).get("env"))) {
                    Map<String, Object> entry = map(item);
                    String name = (String) entry.get("name");
                    if (Set.of("MAKE_WEBHOOK_URL", "MAKE_WEBHOOK_SECRET", "BOOKHOOK_POSTGRES_PASSWORD", "BOOKHOOK_KAFKA_SASL_JAAS_CONFIG",
                            "BOOKHOOK_ADMIN_TOKEN", "BOOKHOOK_ADMIN_READ_TOKEN").contains(name)) {
                        assertThat(entry).as("%s in %s", name, stage).doesNotContainKey("value").containsKey("valueFrom");
                    }
                }
            }
        }
        String defaults = new Yaml().dump(renderDefaults().stream().filter(d -> !"Secret".equals(d.get("kind"))).toList());
        assertThat(defaults).doesNotContain("signing-secret-value", "pg-password-value", "abc123", "admin-token-value");
    }

    @Test
    void capture_runs_one_replica_recreated_and_the_others_scale_with_a_disruption_budget() throws Exception {
        List<Map<String, Object>> documents = renderProduction();
        Map<String, Object> capture = deployment(documents, "capture");
        assertThat(at(capture, "spec.replicas")).isEqualTo(1);
        assertThat(at(capture, "spec.strategy.type")).isEqualTo("Recreate");
        assertThat(at(deployment(documents, "derive"), "spec.replicas")).isEqualTo(4);
        assertThat(at(deployment(documents, "sink"), "spec.replicas")).isEqualTo(6);

        List<String> budgets = ofKind(documents, "PodDisruptionBudget").stream()
                .map(d -> (String) map(at(d, "spec.selector.matchLabels")).get("app.kubernetes.io/component")).sorted().toList();
        assertThat(budgets).containsExactly("derive", "sink");
        assertThat(ofKind(documents, "PodDisruptionBudget")).allSatisfy(pdb -> assertThat(at(pdb, "spec.maxUnavailable")).isEqualTo(1));
    }

    @Test
    void every_stage_has_probes_on_its_admin_port_resources_and_runs_as_the_images_user() throws Exception {
        for (String stage : STAGES) {
            Map<String, Object> deployment = deployment(renderDefaults(), stage);
            Map<String, Object> container = container(deployment);
            assertThat(list(container.get("ports"))).singleElement()
                    .satisfies(port -> assertThat(map(port)).containsEntry("name", "admin").containsEntry("containerPort", 8080));
            assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
            assertThat(at(container, "livenessProbe.httpGet.port")).isEqualTo("admin");
            assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
            assertThat(at(container, "resources.requests.memory")).isNotNull();
            assertThat(at(container, "resources.limits.memory")).isNotNull();
            assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(deployment, "spec.template.spec.securityContext.runAsUser")).isEqualTo(65532);
        }
        // the image's user (app/pom.xml, image profile) is the chart's
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<user>65532:65532</user>");
    }

    @Test
    void admin_serves_on_the_admin_port_of_its_pod() throws Exception {
        List<Object> args = list(container(deployment(renderDefaults(), "admin")).get("args"));
        assertThat(args).containsExactly("admin", "--bind", "0.0.0.0", "--port", "8080");
    }

    @Test
    void admin_takes_its_tokens_from_a_secret_the_chart_makes_or_an_existing_one() throws Exception {
        List<Map<String, Object>> defaults = renderDefaults();
        Map<String, String> env = environment(defaults, container(deployment(defaults, "admin")));
        assertThat(env).containsEntry("BOOKHOOK_ADMIN_TOKEN", "admin-token-value").doesNotContainKey("BOOKHOOK_ADMIN_READ_TOKEN");

        Map<String, Object> withRead = new LinkedHashMap<>(REQUIRED);
        withRead.put("admin.tokens.read", "admin-read-token-value");
        List<Map<String, Object>> both = render(withRead, null);
        assertThat(environment(both, container(deployment(both, "admin"))))
                .containsEntry("BOOKHOOK_ADMIN_TOKEN", "admin-token-value").containsEntry("BOOKHOOK_ADMIN_READ_TOKEN", "admin-read-token-value");
        assertThat(problems(both, "with a read-only token:")).isEmpty();
        for (String stage : List.of("capture", "derive", "sink")) {
            assertThat(environment(both, container(deployment(both, stage)))).as(stage)
                    .doesNotContainKeys("BOOKHOOK_ADMIN_TOKEN", "BOOKHOOK_ADMIN_READ_TOKEN");
        }

        List<Map<String, Object>> production = renderProduction();
        List<Object> adminEnv = list(container(deployment(production, "admin")).get("env"));
        assertThat(adminEnv).map(HelmChartTest::map).filteredOn(entry -> String.valueOf(entry.get("name")).startsWith("BOOKHOOK_ADMIN_"))
                .extracting(entry -> entry.get("name") + " " + at(entry, "valueFrom.secretKeyRef"))
                .containsExactly("BOOKHOOK_ADMIN_TOKEN {name=bookhook-admin, key=operator-token}",
                        "BOOKHOOK_ADMIN_READ_TOKEN {name=bookhook-admin, key=read-token, optional=true}");
        assertThat(ofKind(production, "Secret")).as("no Secret of the chart's own: every secret exists already").isEmpty();
    }

    @Test
    void an_admin_without_a_token_or_with_one_token_for_both_stops_the_render() {
        Map<String, Object> noToken = new LinkedHashMap<>(REQUIRED);
        noToken.remove("admin.tokens.operator");
        assertThatThrownBy(() -> render(noToken, null)).hasMessageContaining("admin.tokens.operator is required (or admin.existingSecret)");
        noToken.put("admin.enabled", false);
        assertThat(ofKind(render(noToken, null), "Deployment")).hasSize(STAGES.size() - 1);

        Map<String, Object> sameTokens = new LinkedHashMap<>(REQUIRED);
        sameTokens.put("admin.tokens.read", "admin-token-value");
        assertThatThrownBy(() -> render(sameTokens, null)).hasMessageContaining("admin.tokens.read must differ from admin.tokens.operator");
    }

    @Test
    void service_monitor_only_when_asked() throws Exception {
        assertThat(ofKind(renderDefaults(), "ServiceMonitor")).isEmpty();
        assertThat(ofKind(renderProduction(), "ServiceMonitor")).singleElement().satisfies(monitor -> {
            assertThat(map(at(monitor, "metadata.labels"))).containsEntry("release", "prometheus");
            assertThat(map(list(at(monitor, "spec.endpoints")).get(0))).containsEntry("port", "admin").containsEntry("path", "/metrics");
        });
        assertThat(ofKind(renderDefaults(), "Service")).hasSize(STAGES.size());
    }

    @Test
    void a_missing_required_value_stops_the_render_naming_it() {
        Map<String, Object> noUrl = new LinkedHashMap<>(REQUIRED);
        noUrl.remove("webhook.url");
        assertThatThrownBy(() -> render(noUrl, null)).hasMessageContaining("webhook.url is required");
        Map<String, Object> noKafka = new LinkedHashMap<>(REQUIRED);
        noKafka.remove("kafka.bootstrapServers");
        assertThatThrownBy(() -> render(noKafka, null)).hasMessageContaining("kafka.bootstrapServers is required");
    }

    @Test
    void values_yaml_documents_every_value() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        Pattern key = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_.-]*):(.*)$");
        Deque<int[]> sections = new ArrayDeque<>(); // {indent, documented}
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!sections.isEmpty() && sections.peek()[0] >= indent) {
                sections.pop();
            }
            boolean documented = previousNonBlank(lines, i).strip().startsWith("#");
            boolean ancestorDocumented = sections.stream().anyMatch(s -> s[1] == 1);
            boolean leaf = !m.group(3).isBlank() || nextIndent(lines, i) <= indent;
            if (leaf && !documented && !ancestorDocumented) {
                undocumented.add(lines.get(i).strip());
            }
            sections.push(new int[] {indent, documented ? 1 : 0});
        }
        assertThat(undocumented).as("values without a comment").isEmpty();
    }

    private static String previousNonBlank(List<String> lines, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        return "";
    }

    private static int nextIndent(List<String> lines, int index) {
        for (int i = index + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                return line.length() - line.stripLeading().length();
            }
        }
        return -1;
    }

    @Test
    void every_value_the_templates_use_is_in_values_yaml() throws IOException {
        Map<String, Object> values = map(new Yaml().load(Files.readString(CHART.resolve("values.yaml"))));
        List<String> missing = new ArrayList<>();
        Pattern used = Pattern.compile("\\.Values\\.([A-Za-z][A-Za-z0-9_.]*)");
        Pattern stageValue = Pattern.compile("\\$values\\.([A-Za-z][A-Za-z0-9_]*)");
        try (var templates = Files.list(CHART.resolve("templates"))) {
            for (Path template : templates.toList()) {
                String text = Files.readString(template);
                Matcher m = used.matcher(text);
                while (m.find()) {
                    if (!hasPath(values, m.group(1))) {
                        missing.add(template.getFileName() + ": .Values." + m.group(1));
                    }
                }
                Matcher s = stageValue.matcher(text);
                while (s.find()) {
                    String name = s.group(1);
                    if (STAGES.stream().noneMatch(stage -> map(values.get(stage)).containsKey(name))) {
                        missing.add(template.getFileName() + ": $values." + name);
                    }
                }
            }
        }
        for (String stage : STAGES) {
            assertThat(map(values.get(stage))).as(stage).containsKeys("enabled", "javaOpts", "resources", "env");
        }
        assertThat(missing).isEmpty();
    }

    private static boolean hasPath(Map<String, Object> values, String path) {
        Object current = values;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return false;
            }
            current = m.get(key);
        }
        return true;
    }
}
