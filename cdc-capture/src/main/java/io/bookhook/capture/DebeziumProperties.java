package io.bookhook.capture;

import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Translates {@link CaptureSettings} into the Debezium Postgres connector and embedded engine properties. */
final class DebeziumProperties {

    /** Debezium names its own topics {@code <prefix>.<schema>.<table>}; we re-route them, so the prefix only has to be stable. */
    static final String TOPIC_PREFIX = "bookhook";

    private DebeziumProperties() {
    }

    static Properties of(CaptureSettings settings) {
        Properties props = new Properties();
        props.setProperty("name", settings.engineName());
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("topic.prefix", TOPIC_PREFIX);

        PostgresConnection pg = settings.postgres();
        props.setProperty("database.hostname", pg.host());
        props.setProperty("database.port", Integer.toString(pg.port()));
        props.setProperty("database.dbname", pg.database());
        props.setProperty("database.user", pg.user());
        props.setProperty("database.password", pg.password());
        // The same TLS as the preflight's JDBC connection: Debezium hands database.ssl* to pgjdbc for its replication
        // connection too, so a server the preflight could verify is the one Debezium streams from.
        pg.pgjdbcTlsProperties().forEach((name, value) -> props.setProperty("database." + name, value));

        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", settings.slotName());
        props.setProperty("publication.name", settings.publicationName());
        // Only our tables go into the publication, so the app's other tables cost nothing.
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("schema.include.list", settings.schema());
        props.setProperty("table.include.list", Stream.concat(settings.tables().stream(), Stream.of(settings.heartbeatTable()))
                .map(table -> settings.schema() + "\\." + table)
                .collect(Collectors.joining(",")));

        // Readable values on the raw topics: numerics as strings keep their scale, timestamps as ISO-8601 where Postgres has a zone.
        props.setProperty("decimal.handling.mode", "string");
        props.setProperty("time.precision.mode", "connect");
        props.setProperty("key.converter.schemas.enable", "false");
        props.setProperty("value.converter.schemas.enable", "false");
        props.setProperty("converter.schemas.enable", "false");
        // Kafka's JsonConverter writes a column's default in place of a NULL by default: a nullable column with a
        // default (a NOT NULL dropped while streaming, or an app's own schema) would reach the topic, and the webhook,
        // as a value the row does not hold. A NULL stays null.
        props.setProperty("key.converter.replace.null.with.default", "false");
        props.setProperty("value.converter.replace.null.with.default", "false");
        props.setProperty("converter.replace.null.with.default", "false");
        props.setProperty("tombstones.on.delete", "true");

        props.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        props.setProperty("heartbeat.interval.ms", Long.toString(settings.heartbeatInterval().toMillis()));
        // A write to a table in the publication: without it an idle publication never moves the slot forward
        // while other tables fill the WAL.
        props.setProperty("heartbeat.action.query", HeartbeatTable.upsert(settings.schema(), settings.heartbeatTable()));

        // After a lost connection (Postgres restarted, WAL sender terminated) Debezium restarts its task after this
        // wait; its 10 s default would hold every booking's webhook back that long after a routine database restart.
        props.setProperty("retriable.restart.connector.wait.ms", "2000");

        // Offsets live in a compacted Kafka topic so a restarted capture resumes without a second snapshot.
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        props.setProperty("offset.storage.topic", settings.offsetTopic());
        props.setProperty("offset.storage.partitions", "1");
        // -1: the broker's default.replication.factor, right for both the embedded broker and a real cluster.
        props.setProperty("offset.storage.replication.factor", "-1");
        props.setProperty("offset.flush.interval.ms", "1000");
        settings.kafkaClient().forEach(props::setProperty);
        return props;
    }
}
