package io.bookhook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka (broker and controller) running inside this JVM.
 * {@link #stop()} and {@link #restart()} keep log dirs and ports, so clients can reconnect to the
 * same bootstrap address after a simulated broker outage.
 * Topics are not auto-created: create them with {@link #createTopic(String, int, Map)}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final Properties brokerProperties;
    private final String bootstrapServers;
    private final String saslSslBootstrapServers;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Path workDir, Properties brokerProperties, int brokerPort, Integer saslSslPort) {
        this.workDir = workDir;
        this.brokerProperties = brokerProperties;
        this.bootstrapServers = "127.0.0.1:" + brokerPort;
        this.saslSslBootstrapServers = saslSslPort == null ? null : "127.0.0.1:" + saslSslPort;
    }

    /** Formats fresh storage under {@code workDir} and starts the broker; returns once it serves requests. */
    public static EmbeddedKafka start(Path workDir) {
        return start(workDir, null);
    }

    /**
     * As {@link #start(Path)}, with a second client listener that needs TLS and SCRAM-SHA-512 (see {@link
     * #saslSslBootstrapServers()}); its user is created before the broker starts. {@link #bootstrapServers()} and
     * {@link #admin()} keep using the PLAINTEXT listener, which the broker also uses itself, to set a test up.
     */
    public static EmbeddedKafka startWithSaslSsl(Path workDir, SaslSslListener listener) {
        return start(workDir, Objects.requireNonNull(listener, "listener"));
    }

    private static EmbeddedKafka start(Path workDir, SaslSslListener saslSsl) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        while (controllerPort == brokerPort) {
            controllerPort = FreePorts.pick();
        }
        Properties props = KafkaBrokerProperties.singleNode(workDir.resolve("logs"), brokerPort, controllerPort);
        Integer saslSslPort = null;
        String[] formatArguments = {};
        if (saslSsl != null) {
            saslSslPort = FreePorts.pick();
            while (saslSslPort == brokerPort || saslSslPort == controllerPort) {
                saslSslPort = FreePorts.pick();
            }
            props = KafkaBrokerProperties.withSaslSsl(props, saslSslPort, saslSsl);
            formatArguments = new String[] {"--add-scram", saslSsl.addScramArgument()};
        }
        KafkaStorageFormatter.format(workDir.resolve("server.properties"), props, Uuid.randomUuid().toString(), formatArguments);
        EmbeddedKafka kafka = new EmbeddedKafka(workDir, props, brokerPort, saslSslPort);
        kafka.restart();
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The listener that needs TLS and SCRAM-SHA-512, on a broker started with {@link #startWithSaslSsl}. */
    public String saslSslBootstrapServers() {
        if (saslSslBootstrapServers == null) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " was started without a SASL_SSL listener");
        }
        return saslSslBootstrapServers;
    }

    public Path workDir() {
        return workDir;
    }

    /** Creates the topic; a topic that already exists is left as it is (idempotent test setup). */
    /** Each of {@code names} with {@code partitions} partitions and the broker's defaults, unless it exists already. */
    public void createTopics(java.util.Collection<String> names, int partitions) {
        names.forEach(name -> createTopic(name, partitions, Map.of()));
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down (clients see it as gone) but keeps its data; see {@link #restart()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.info("Kafka at {} stopped", bootstrapServers);
    }

    /** Starts the broker again on the same log dirs and ports; a no-op while it runs. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " is closed");
        }
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        // A fresh KafkaConfig per start: the server attaches dynamic-config state to it.
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(brokerProperties), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            throw e;
        }
        server = starting;
        try {
            KafkaReadiness.await(this, READY_TIMEOUT);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("Kafka serving at {} after {} ms", bootstrapServers, (System.nanoTime() - begin) / 1_000_000);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            Directories.deleteQuietly(workDir);
        }
    }
}
