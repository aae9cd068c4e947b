package io.bookhook.sink;

import java.util.Objects;

/** How a delivery ended after all its attempts: the last result decides the ledger status. */
record DeliveryOutcome(int attempts, AttemptResult last) {

    DeliveryOutcome {
        Objects.requireNonNull(last, "last");
    }

    boolean delivered() {
        return last.verdict() == Verdict.DELIVERED;
    }
}
