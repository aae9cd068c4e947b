package io.bookhook.capture;

/** Capture cannot run or stopped; the message is the one line an operator needs. */
public final class CaptureFailedException extends RuntimeException {

    public CaptureFailedException(String message) {
        super(message);
    }

    public CaptureFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
