package io.bookhook.derive;

/** A change event the topology cannot derive from; its message is the dead-letter reason. */
class BadChangeException extends Exception {

    BadChangeException(String reason) {
        super(reason);
    }

    BadChangeException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /**
     * An appointment row without a column the table mapping names (status, a related row's key): dropped or renamed
     * while streaming. Its event would lie (a dropped customer_id would read as an appointment without a customer).
     */
    static final class MissingColumns extends BadChangeException {

        MissingColumns(String reason) {
            super(reason);
        }
    }

    /** A change too large to keep: it is dead-lettered as its key alone, since its value is about as large. */
    static final class TooLarge extends Exception {

        TooLarge(String reason) {
            super(reason);
        }
    }
}
