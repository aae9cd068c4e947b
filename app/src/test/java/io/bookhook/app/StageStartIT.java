package io.bookhook.app;

import static io.bookhook.app.OperatorFixture.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bookhook.embedded.EmbeddedStack;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * What a stage says when it cannot start, and the exit code it says it with (README, "Exit codes"): each message is
 * asserted as the exact line. And what a clean start and an operator command print: no warning that is not a fault,
 * and nothing but the result on stdout.
 */
class StageStartIT {

    private static final String NL = System.lineSeparator();
    private static final Pattern LOG_LINE = Pattern.compile("^\\S+ (TRACE|DEBUG|INFO|WARN|ERROR) +\\[");

    private final InProcessCommandLine cli = new InProcessCommandLine();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @Test
    void a_second_stage_on_a_taken_admin_port_names_the_port_and_the_setting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Map<String, String> environment = Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
                    "BOOKHOOK_ADMIN_PORT", Integer.toString(port), "BOOKHOOK_ADMIN_BIND", "127.0.0.1");

            assertThat(cli.run(environment, "derive")).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
            assertThat(err.toString()).isEqualTo("bookhook derive: port " + port + " on 127.0.0.1 is already in use (BOOKHOOK_ADMIN_PORT): give each"
                    + " stage on this host its own BOOKHOOK_ADMIN_PORT, or 0 to turn its health and metrics port off" + NL);
        }
    }

    @Test
    void an_unreachable_kafka_stops_a_stage_with_one_line_within_the_connect_timeout() throws Exception {
        int closed = closedPort();
        Map<String, String> environment = Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed,
                "BOOKHOOK_KAFKA_CONNECT_TIMEOUT", "2s", "BOOKHOOK_ADMIN_PORT", "0");

        long started = System.nanoTime();
        int exit = cli.run(environment, "derive");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exit).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(err.toString()).isEqualTo("bookhook derive: Kafka is not reachable at 127.0.0.1:" + closed
                + " within 2s (BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS, BOOKHOOK_KAFKA_CONNECT_TIMEOUT)" + NL);
        assertThat(took).as("bounded by the setting (2 s), with room for a loaded machine").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_kafka_host_that_does_not_resolve_is_named_at_once() {
        Map<String, String> environment = Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka.invalid:9092",
                "BOOKHOOK_KAFKA_CONNECT_TIMEOUT", "2s", "BOOKHOOK_ADMIN_PORT", "0");

        assertThat(cli.run(environment, "derive")).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(err.toString()).isEqualTo("bookhook derive: Kafka is not reachable at kafka.invalid:9092: No resolvable bootstrap urls given"
                + " in bootstrap.servers (BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS)" + NL);
    }

    @Test
    void a_malformed_connect_timeout_is_a_settings_error() {
        Map<String, String> environment = Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9", "BOOKHOOK_KAFKA_CONNECT_TIMEOUT", "soon");

        assertThat(cli.run(environment, "derive")).isEqualTo(OneLineErrors.SETTINGS_ERROR);
        assertThat(err.toString()).isEqualTo("bookhook derive: BOOKHOOK_KAFKA_CONNECT_TIMEOUT must be a duration like 250ms, 10s, 5m, 1h or 30d,"
                + " got 'soon'" + NL);
    }

    @Test
    void the_connect_timeout_is_bookhooks_own_and_not_handed_to_the_kafka_clients() {
        Env env = new Env(Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "BOOKHOOK_KAFKA_CONNECT_TIMEOUT", "5s"));
        assertThat(env.kafkaClient()).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void a_capture_refused_for_a_wrong_mapping_exits_3_and_has_created_no_topic() throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("wrong_mapping");
        String jdbcUrl = stack.postgres().createReferenceDatabase(name);
        Map<String, String> environment = TestEnvironments.pipeline(stack, name, "http://127.0.0.1:9/hook", "mapping-secret");
        environment.put("BOOKHOOK_TABLE_APPOINTMENT", "bookings");
        environment.put("BOOKHOOK_ADMIN_PORT", "0");

        assertThat(cli.run(environment, "capture")).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(err.toString()).isEqualTo("bookhook capture: table public.bookings does not exist in Postgres (named by BOOKHOOK_TABLE_APPOINTMENT)" + NL);
        try (Admin admin = stack.kafka().admin()) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).noneMatch(topic -> topic.startsWith(name));
        }
    }

    @Test
    void derive_starts_without_a_warning_and_keeps_its_state_under_the_home_directory() throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("clean_start");
        Map<String, String> environment = TestEnvironments.pipeline(stack, name, "http://127.0.0.1:9/hook", "clean-secret");
        environment.remove("BOOKHOOK_STATE_DIR");
        int adminPort = closedPort();
        environment.put("BOOKHOOK_ADMIN_PORT", Integer.toString(adminPort));
        environment.put("BOOKHOOK_ADMIN_BIND", "127.0.0.1");
        Path home = stack.workDir().resolve(name + "-home");
        Path log = stack.workDir().resolve(name + "-derive.log");
        // The production logging (logback.xml, not the tests'), and an OS temp directory apart from the home, as on a host.
        Path tmp = Files.createDirectories(stack.workDir().resolve(name + "-tmp"));
        Process derive = child(environment, home, log, "-Dlogback.configurationFile=" + Path.of(Main.class.getResource("/logback.xml").toURI()),
                "-Djava.io.tmpdir=" + tmp, "derive");
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(derive.isAlive()).as("derive exited; its output:%n%s", read(log)).isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
            String output = read(log);
            List<String> warnings = output.lines().filter(line -> line.matches("^\\S+ \\S+ WARN .*")).toList();
            assertThat(output).as("the production pattern").contains(" INFO  [main] io.bookhook.app.StageRunner - derive running");
            assertThat(warnings).as("a clean start's output:%n%s", output).isEmpty();
            assertThat(home.resolve(".bookhook/state").resolve(name + "-derive")).isDirectory();

            derive.destroy();
            assertThat(derive.waitFor(90, TimeUnit.SECONDS)).as("derive stopped on SIGTERM").isTrue();
            assertThat(derive.exitValue()).as("the JVM's code for SIGTERM, after closing; its output:%n%s", read(log)).isEqualTo(143);
        } finally {
            if (derive.isAlive()) {
                derive.destroyForcibly();
            }
        }
    }

    @Test
    void a_topic_that_would_lose_data_is_a_failed_start_check() throws Exception {
        EmbeddedStack stack = SharedEmbeddedStack.get();
        String name = SharedEmbeddedStack.uniqueName("compacted_events");
        Map<String, String> environment = TestEnvironments.pipeline(stack, name, "http://127.0.0.1:9/hook", "policy-secret");
        environment.put("BOOKHOOK_ADMIN_PORT", "0");
        stack.kafka().createTopic(name + ".events", 3, Map.of("cleanup.policy", "compact"));

        assertThat(cli.run(environment, "derive")).isEqualTo(OneLineErrors.PREFLIGHT_FAILURE);
        assertThat(err.toString()).isEqualTo("bookhook derive: topic " + name + ".events exists with cleanup.policy=compact but bookhook needs"
                + " delete: compaction would drop all but the last record of each key. Set cleanup.policy=delete on it, or name another topic"
                + " with BOOKHOOK_TOPIC_EVENTS" + NL);
    }

    @Test
    void operator_commands_print_only_their_result_on_stdout() throws Exception {
        OperatorFixture ops = new OperatorFixture();
        ops.writeLedger(delivery("d1", "42", EventType.CONFIRMED, DeliveryStatus.DELIVERED));
        String table = OperatorFixture.run(new DeliveriesCommand(ops.environment)).out();
        Path home = SharedEmbeddedStack.get().workDir().resolve(ops.prefix + "-home");

        Result deliveries = childResult(ops.environment, home, "deliveries");
        assertThat(deliveries.exit()).as(deliveries.err()).isZero();
        assertThat(deliveries.out()).isEqualTo(table);
        assertThat(deliveries.err()).isEmpty();

        Result resend = childResult(ops.environment, home, "resend", "42", "--event", "confirmed");
        assertThat(resend.exit()).as(resend.err()).isZero();
        assertThat(resend.out().lines().toList()).hasSize(2).allMatch(line -> !LOG_LINE.matcher(line).find());
        assertThat(resend.out()).startsWith("resend requested for appointment 42 (confirmed, every endpoint whose filters select it), request ");

        Result unknown = childResult(ops.environment, home, "resend", "9");
        assertThat(unknown.exit()).isEqualTo(OneLineErrors.FAILURE);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).isEqualTo("bookhook resend: no deliveries for appointment '9' in the ledger" + NL);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result childResult(Map<String, String> environment, Path home, String... args) throws Exception {
        Path out = Files.createTempFile(home.getParent(), "out", ".txt");
        Path err = Files.createTempFile(home.getParent(), "err", ".txt");
        List<String> command = command(home, args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("bookhook " + String.join(" ", args) + " ended").isTrue();
        return new Result(process.exitValue(), read(out), read(err));
    }

    private static Process child(Map<String, String> environment, Path home, Path log, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(home, args)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** A bookhook JVM whose home (and so its default state directory) is {@code home}, not the user's. */
    private static List<String> command(Path home, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home));
        List<String> jvmOptions = java.util.Arrays.stream(args).filter(arg -> arg.startsWith("-D")).toList();
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        java.util.Arrays.stream(args).filter(arg -> !arg.startsWith("-D")).forEach(command::add);
        return command;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
