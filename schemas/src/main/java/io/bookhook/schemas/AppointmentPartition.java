package io.bookhook.schemas;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of everything about one appointment: its events, the operators' requests for it and the sink's
 * delivery index entries all share it, so the sink instance that owns the partition is the one that delivers,
 * retries and resends the appointment. It is where Kafka's default partitioner puts a record keyed by the
 * appointment id (murmur2), so the requests topic, keyed by appointment id, needs nothing more.
 */
public final class AppointmentPartition {

    private AppointmentPartition() {
    }

    public static int of(String appointmentId, int partitions) {
        return Utils.toPositive(Utils.murmur2(appointmentId.getBytes(UTF_8))) % partitions;
    }
}
