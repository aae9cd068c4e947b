package io.bookhook.ledger;

/**
 * An operator action that cannot be carried out, for a reason the operator can act on (unknown id, Kafka not
 * answering, a sink still running). The message is the one line the CLI prints and the admin API returns; the
 * kind picks the HTTP status, so the CLI and the admin page refuse the same things in the same words.
 */
public final class OperatorException extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT, INVALID, UNAVAILABLE }

    private final Kind kind;

    private OperatorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static OperatorException notFound(String message) {
        return new OperatorException(Kind.NOT_FOUND, message, null);
    }

    public static OperatorException conflict(String message) {
        return new OperatorException(Kind.CONFLICT, message, null);
    }

    public static OperatorException invalid(String message) {
        return new OperatorException(Kind.INVALID, message, null);
    }

    /** Kafka did not answer in time; the cause is kept for the log, the message is what the operator reads. */
    public static OperatorException unavailable(String message, Throwable cause) {
        return new OperatorException(Kind.UNAVAILABLE, message, cause);
    }

    public Kind kind() {
        return kind;
    }
}
