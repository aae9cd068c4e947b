package io.bookhook.sink;

/**
 * The lane is stopping (sink closing, partition revoked) in the middle of a delivery: nothing final is recorded
 * for it and its offset stays uncommitted, so whoever owns the partition next delivers it under the same ids.
 */
final class DeliveryAbandoned extends Exception {

    DeliveryAbandoned() {
        super("lane stopping", null, false, false);
    }
}
