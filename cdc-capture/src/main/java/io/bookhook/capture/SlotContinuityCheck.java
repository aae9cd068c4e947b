package io.bookhook.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.TopicTailer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Refuses to start when the replication slot cannot continue where capture's offsets left off. Debezium would
 * otherwise create a fresh slot (or take the slot's later position) and stream on, silently skipping every
 * change committed in between: the one loss bookhook must never allow.
 */
final class SlotContinuityCheck {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private SlotContinuityCheck() {
    }

    static void check(CaptureSettings settings) {
        OptionalLong offset = lastFlushedOffsetLsn(settings);
        if (offset.isEmpty()) {
            return; // first start: Debezium creates the slot and snapshots
        }
        OptionalLong slot = slotConfirmedLsn(settings);
        if (slot.isEmpty()) {
            throw new CaptureFailedException("replication slot '" + settings.slotName() + "' no longer exists, but capture's offsets in "
                    + settings.offsetTopic() + " reach LSN " + format(offset.getAsLong()) + ": changes committed since then cannot be read. "
                    + "To start over, delete capture's offsets (or use a new BOOKHOOK_CAPTURE_NAME) so it snapshots again");
        }
        if (slot.getAsLong() > offset.getAsLong()) {
            throw new CaptureFailedException("capture's offsets (LSN " + format(offset.getAsLong()) + ") are behind replication slot '"
                    + settings.slotName() + "' (confirmed LSN " + format(slot.getAsLong()) + "): changes in between cannot be read again. "
                    + "To start over, delete capture's offsets (or use a new BOOKHOOK_CAPTURE_NAME) so it snapshots again");
        }
    }

    /** The highest LSN Debezium committed to its offsets for this engine, or empty if it never committed one. */
    static OptionalLong lastFlushedOffsetLsn(CaptureSettings settings) {
        try (TopicTailer<byte[], byte[]> offsets = TopicTailer.open(settings.kafkaClient(), "bookhook-capture-offsets-check",
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = offsets.partitionsOf(settings.offsetTopic(), READ_TIMEOUT);
            if (partitions.isEmpty()) {
                return OptionalLong.empty();
            }
            offsets.fromBeginning(partitions, READ_TIMEOUT);
            AtomicLong latest = new AtomicLong(-1);
            offsets.readToEnd(READ_TIMEOUT, records -> {
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    long lsn = lsnOf(record, settings.engineName());
                    if (lsn >= 0) {
                        latest.set(lsn);
                    }
                }
            });
            return latest.get() < 0 ? OptionalLong.empty() : OptionalLong.of(latest.get());
        }
    }

    /** Debezium's offset key is {@code ["<engine name>", {"server": …}]}; its value carries {@code lsn} and {@code lsn_commit}. */
    private static long lsnOf(ConsumerRecord<byte[], byte[]> record, String engineName) {
        if (record.key() == null || record.value() == null) {
            return -1;
        }
        try {
            JsonNode key = Json.mapper().readTree(record.key());
            if (!key.isArray() || !engineName.equals(key.path(0).asText())) {
                return -1;
            }
            JsonNode value = Json.mapper().readTree(record.value());
            return Math.max(value.path("lsn").asLong(-1), value.path("lsn_commit").asLong(-1));
        } catch (IOException e) {
            return -1;
        }
    }

    private static OptionalLong slotConfirmedLsn(CaptureSettings settings) {
        PostgresConnection pg = settings.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, settings.slotName());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new CaptureFailedException("cannot read replication slot '" + settings.slotName() + "': " + e.getMessage(), e);
        }
    }

    static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
