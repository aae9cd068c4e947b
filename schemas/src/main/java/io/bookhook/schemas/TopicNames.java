package io.bookhook.schemas;

import java.util.Objects;

/** The topic names every stage agrees on; defaults are the contract in DESIGN.md, each can be renamed by a setting. */
public record TopicNames(String cdcPrefix, String appointmentEvents, String deliveryLedger, String deadLetter) {

    public static final String DEFAULT_CDC_PREFIX = "bookhook.cdc.";

    public TopicNames {
        Objects.requireNonNull(cdcPrefix, "cdcPrefix");
        Objects.requireNonNull(appointmentEvents, "appointmentEvents");
        Objects.requireNonNull(deliveryLedger, "deliveryLedger");
        Objects.requireNonNull(deadLetter, "deadLetter");
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_CDC_PREFIX, "bookhook.appointment-events", "bookhook.delivery-ledger", "bookhook.dead-letter");
    }

    /** Raw change events of one captured table: {@code bookhook.cdc.<table>}. */
    public String cdcTopic(String table) {
        return cdcPrefix + table;
    }
}
