package io.bookhook.embedded;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/** Broker properties for a single-node KRaft cluster (broker and controller in one process). */
final class KafkaBrokerProperties {

    static final int NODE_ID = 1;

    private KafkaBrokerProperties() {
    }

    static Properties singleNode(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());

        // One node: every internal topic must fit on it, or groups, transactions and Streams hang.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // The defaults (50 partitions each) make the first group/transaction noticeably slower to start.
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.num.partitions", "3");

        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // How often the broker aborts transactions past their timeout (default 10 s): a transaction a killed sink left
        // open is aborted within about its timeout instead of up to 10 s after it.
        p.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.setProperty("num.partitions", "1");
        // Topics must be created on purpose (EmbeddedKafka.createTopic), as in production:
        // a typo in a topic name fails fast instead of silently creating a new topic.
        p.setProperty("auto.create.topics.enable", "false");
        // The default 128 MB dedupe buffer is allocated on the heap at start-up; compacted topics
        // in tests (Debezium offsets, Streams changelogs) are tiny.
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.setProperty("log.cleaner.threads", "1");
        return p;
    }

    /**
     * Adds a client listener that needs TLS and SCRAM-SHA-512 on {@code port}. The controller and the broker's own
     * PLAINTEXT listener stay as they are: only what a client reaches through this port is secured.
     */
    static Properties withSaslSsl(Properties plain, int port, SaslSslListener listener) {
        Properties p = new Properties();
        p.putAll(plain);
        String address = SaslSslListener.NAME + "://127.0.0.1:" + port;
        p.setProperty("listeners", plain.getProperty("listeners") + "," + address);
        p.setProperty("advertised.listeners", plain.getProperty("advertised.listeners") + "," + address);
        p.setProperty("listener.security.protocol.map", plain.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.setProperty("sasl.enabled.mechanisms", SaslSslListener.MECHANISM);
        String prefix = "listener.name." + SaslSslListener.NAME.toLowerCase(Locale.ROOT) + ".";
        // The server side of SCRAM reads the credentials from the cluster metadata (see KafkaStorageFormatter): no user in here.
        p.setProperty(prefix + SaslSslListener.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty(prefix + "ssl.keystore.location", listener.certificates().keyStore().toAbsolutePath().toString());
        p.setProperty(prefix + "ssl.keystore.password", listener.certificates().password());
        p.setProperty(prefix + "ssl.key.password", listener.certificates().password());
        p.setProperty(prefix + "ssl.keystore.type", TestCertificates.STORE_TYPE);
        return p;
    }
}
