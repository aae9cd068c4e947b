package io.bookhook.sink;

/** What one attempt means for the delivery. */
public enum Verdict {
    /** 2xx: the receiver has it. */
    DELIVERED,
    /** Worth another attempt later: 408, 425, 429, 5xx, timeouts, refused or reset connections. */
    RETRYABLE,
    /** The receiver will not take it as it is (other 4xx, 3xx); retrying would only repeat the answer. */
    FAILED
}
