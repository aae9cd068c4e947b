package io.bookhook.ledger.admin;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may use the admin: the holder of the operator token (everything), of the read-only token (look, never act), or,
 * when no token is set, anyone who reaches the port, which is then loopback only. Tokens are compared as SHA-256
 * digests with {@link MessageDigest#isEqual}, so neither the time taken nor the token's length tells a guesser anything.
 */
public final class AdminAccess {

    /** Whose request it is, as the audit line names it. */
    enum Holder {
        OPERATOR("operator"), READ("read"), ANYONE("none");

        private final String auditName;

        Holder(String auditName) {
            this.auditName = auditName;
        }

        String auditName() {
            return auditName;
        }

        /** Retry, resend, pause and resume: not for a read-only token. */
        boolean mayAct() {
            return this != READ;
        }
    }

    private static final String BEARER = "bearer ";

    private final byte[] operatorDigest;
    private final byte[] readDigest;

    private AdminAccess(byte[] operatorDigest, byte[] readDigest) {
        this.operatorDigest = operatorDigest;
        this.readDigest = readDigest;
    }

    /** No token: anyone who reaches the port may do everything, so the server listens on loopback only. */
    public static AdminAccess open() {
        return new AdminAccess(null, null);
    }

    /** An operator token, and optionally a read-only one; both non-blank and different. */
    public static AdminAccess withTokens(String operatorToken, Optional<String> readToken) {
        if (operatorToken == null || operatorToken.isBlank() || readToken.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("admin tokens must not be blank");
        }
        if (readToken.filter(operatorToken::equals).isPresent()) {
            throw new IllegalArgumentException("the read-only admin token must differ from the operator token");
        }
        return new AdminAccess(digest(operatorToken), readToken.map(AdminAccess::digest).orElse(null));
    }

    public boolean needsToken() {
        return operatorDigest != null;
    }

    /** Open access is for loopback only: anything else needs a token. */
    public boolean mayListenOn(InetSocketAddress address) {
        return needsToken() || (address.getAddress() != null && address.getAddress().isLoopbackAddress());
    }

    /** The holder of the token in an {@code Authorization: Bearer …} header; empty when it is missing or no token of this admin. */
    Optional<Holder> holderOf(String authorization) {
        if (!needsToken()) {
            return Optional.of(Holder.ANYONE);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).strip());
        // Both comparisons always run, so the time taken does not tell which token was close.
        boolean operator = MessageDigest.isEqual(presented, operatorDigest);
        boolean read = readDigest != null && MessageDigest.isEqual(presented, readDigest);
        if (operator) {
            return Optional.of(Holder.OPERATOR);
        }
        return read ? Optional.of(Holder.READ) : Optional.empty();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // Never the tokens, not even their digests.
        return needsToken() ? (readDigest == null ? "operator token" : "operator and read-only tokens") : "open";
    }
}
