package io.bookhook.embedded;

import java.nio.file.Path;
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
}
