package io.bookhook.capture;

import io.bookhook.capture.PostgresTls.SslMode;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Names the setting to fix when a connection to Postgres failed over TLS. pgjdbc's own messages ("SSL error: PKIX path
 * building failed", "The hostname ... could not be verified by hostnameverifier ...") say what broke but not which of
 * bookhook's settings lead there.
 */
final class PostgresTlsFailure {

    /** pgjdbc's SQLState for a host name the server's certificate does not list (and for other broken connections). */
    private static final String CONNECTION_FAILURE = "08006";
    /** pgjdbc's SQLState for a server that answered the TLS request with no. */
    private static final String CONNECTION_REJECTED = "08004";
    /** Postgres' SQLState for a connection no pg_hba.conf line accepts. */
    private static final String INVALID_AUTHORIZATION = "28000";

    private PostgresTlsFailure() {
    }

    /** One line saying what went wrong with TLS and which setting to look at; empty when the failure is not about TLS. */
    static Optional<String> explain(SQLException failure, PostgresConnection pg) {
        SslMode mode = pg.tls().mode();
        Optional<CertificateException> untrusted = certificateFailure(failure);
        if (mode.verifiesServer() && untrusted.isPresent()) {
            return Optional.of("the server's TLS certificate could not be verified with the CA certificate in "
                    + PostgresTls.SSLROOTCERT_SETTING + " (" + pg.tls().rootCertificate() + "): "
                    + CapturePreflight.firstLine(deepestMessage(untrusted.get())));
        }
        // pgjdbc's host name failure has no cause and a translated text, but it always names the host it checked.
        if (mode == SslMode.VERIFY_FULL && CONNECTION_FAILURE.equals(failure.getSQLState()) && failure.getCause() == null
                && failure.getMessage() != null && failure.getMessage().contains(pg.host())) {
            return Optional.of("the host name " + pg.host() + " does not match the server's TLS certificate: set "
                    + PostgresTls.HOST_SETTING + " to a name the certificate lists, or " + PostgresTls.SSLMODE_SETTING
                    + " to verify-ca to check the CA alone");
        }
        if ((mode == SslMode.REQUIRE || mode.verifiesServer()) && CONNECTION_REJECTED.equals(failure.getSQLState())) {
            return Optional.of("the server does not offer TLS, which " + PostgresTls.SSLMODE_SETTING + " " + mode.value()
                    + " requires (" + CapturePreflight.firstLine(failure.getMessage()) + ")");
        }
        if (mode == SslMode.DISABLE && INVALID_AUTHORIZATION.equals(failure.getSQLState())
                && failure.getMessage() != null && failure.getMessage().contains("no encryption")) {
            return Optional.of("the server accepts this connection only over TLS, and " + PostgresTls.SSLMODE_SETTING
                    + " is disable: set it to verify-full (" + CapturePreflight.firstLine(failure.getMessage()) + ")");
        }
        return Optional.empty();
    }

    private static Optional<CertificateException> certificateFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateException certificate) {
                return Optional.of(certificate);
            }
        }
        return Optional.empty();
    }

    private static String deepestMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : String.valueOf(failure.getMessage());
    }
}
