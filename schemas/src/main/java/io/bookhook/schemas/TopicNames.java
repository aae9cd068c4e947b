package io.bookhook.schemas;

import java.util.Objects;

/**
 * The topic names every stage agrees on; defaults are the contract in DESIGN.md, each can be renamed by a setting.
 * {@code deliveryIndex} is the sink's own: a small compacted topic, keyed by delivery id and partitioned like the
 * events, from which a sink restores which deliveries are delivered and which wait for a retry. {@code endpointControl}
 * holds operators' pause and resume per endpoint, {@code endpointStatus} each sink's report of each endpoint's health.
 */
public record TopicNames(String cdcPrefix, String appointmentEvents, String deliveryLedger, String deadLetter, String deliveryRequests,
                         String deliveryIndex, String endpointControl, String endpointStatus) {

    public TopicNames {
        Objects.requireNonNull(cdcPrefix, "cdcPrefix");
        Objects.requireNonNull(appointmentEvents, "appointmentEvents");
        Objects.requireNonNull(deliveryLedger, "deliveryLedger");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(deliveryRequests, "deliveryRequests");
        Objects.requireNonNull(deliveryIndex, "deliveryIndex");
        Objects.requireNonNull(endpointControl, "endpointControl");
        Objects.requireNonNull(endpointStatus, "endpointStatus");
    }

    public static TopicNames defaults() {
        return prefixed("bookhook");
    }

    /** Every topic under one prefix ({@code <prefix>.appointment-events}, …): what tests use for names of their own. */
    public static TopicNames prefixed(String prefix) {
        return new TopicNames(prefix + ".cdc.", prefix + ".appointment-events", prefix + ".delivery-ledger", prefix + ".dead-letter",
                prefix + ".delivery-requests", prefix + ".delivery-index", prefix + ".endpoint-control", prefix + ".endpoint-status");
    }

    /** Raw change events of one captured table: {@code bookhook.cdc.<table>}. */
    public String cdcTopic(String table) {
        return cdcPrefix + table;
    }
}
