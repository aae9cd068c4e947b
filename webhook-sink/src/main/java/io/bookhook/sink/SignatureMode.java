package io.bookhook.sink;

import java.util.Locale;

/** Which signature headers a webhook carries. */
public enum SignatureMode {
    /** {@code X-Make-Signature} only: what the seed sent, and what a Make.com scenario checks. */
    MAKE,
    /** Standard Webhooks headers only ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}). */
    STANDARD,
    /** Both sets, e.g. while a receiver moves from one to the other. */
    BOTH;

    boolean make() {
        return this != STANDARD;
    }

    boolean standard() {
        return this != MAKE;
    }

    /** Reads {@code make}, {@code standard} or {@code both}, case-insensitively. */
    public static SignatureMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("signature mode must be make, standard or both, was " + text);
        }
    }
}
