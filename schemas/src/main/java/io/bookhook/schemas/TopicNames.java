package io.bookhook.schemas;

import java.util.Objects;

/** The topic names every stage agrees on; defaults are the contract in DESIGN.md, each can be renamed by a setting. */
public record TopicNames(String cdcPrefix, String appointmentEvents, String deliveryLedger, String deadLetter, String deliveryRequests) {

    public TopicNames {
        Objects.requireNonNull(cdcPrefix, "cdcPrefix");
        Objects.requireNonNull(appointmentEvents, "appointmentEvents");
        Objects.requireNonNull(deliveryLedger, "deliveryLedger");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(deliveryRequests, "deliveryRequests");
    }

    public static TopicNames defaults() {
        return prefixed("bookhook");
    }

    /** Every topic under one prefix ({@code <prefix>.appointment-events}, …): what tests use for names of their own. */
    public static TopicNames prefixed(String prefix) {
        return new TopicNames(prefix + ".cdc.", prefix + ".appointment-events", prefix + ".delivery-ledger", prefix + ".dead-letter",
                prefix + ".delivery-requests");
    }

    /** Raw change events of one captured table: {@code bookhook.cdc.<table>}. */
    public String cdcTopic(String table) {
        return cdcPrefix + table;
    }
}
