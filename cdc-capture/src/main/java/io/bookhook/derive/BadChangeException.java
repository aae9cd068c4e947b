package io.bookhook.derive;

/** A change event the topology cannot derive from; its message is the dead-letter reason. */
final class BadChangeException extends Exception {

    BadChangeException(String reason) {
        super(reason);
    }

    BadChangeException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** A change too large to keep: it is dead-lettered as its key alone, since its value is about as large. */
    static final class TooLarge extends Exception {

        TooLarge(String reason) {
            super(reason);
        }
    }
}
