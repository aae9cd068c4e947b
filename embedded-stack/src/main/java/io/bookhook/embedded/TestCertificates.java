package io.bookhook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code localhost} and {@code 127.0.0.1},
 * made with the JDK's own keytool, as PKCS12 stores: {@link #keyStore()} (the server's key and chain) for a TLS
 * server, {@link #trustStore()} (the CA alone) for its clients. One password protects both stores and the key.
 * For a server that wants PEM files (Postgres' ssl_cert_file and ssl_key_file), see {@link #writeServerPem}.
 */
public final class TestCertificates {

    public static final String STORE_TYPE = "PKCS12";
    private static final String SERVER_ALIAS = "server";
    private static final String CA_ALIAS = "ca";

    private final Path keyStore;
    private final Path trustStore;
    private final String password;

    private TestCertificates(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /** A new CA named {@code caName} and a server certificate it signed, written under {@code dir}. */
    public static TestCertificates generate(Path dir, String caName, String password) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path ca = dir.resolve("ca.p12");
        Path caCertificate = dir.resolve("ca.crt");
        Path keyStore = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path serverCertificate = dir.resolve("server.crt");
        Path trustStore = dir.resolve("truststore.p12");

        keytool(password, "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-keysize", "256", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "7", "-keystore", ca.toString());
        keytool(password, "-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-file", caCertificate.toString());
        keytool(password, "-genkeypair", "-alias", SERVER_ALIAS, "-keyalg", "EC", "-keysize", "256", "-dname", "CN=localhost",
                "-validity", "7", "-keystore", keyStore.toString());
        keytool(password, "-certreq", "-alias", SERVER_ALIAS, "-keystore", keyStore.toString(), "-file", request.toString());
        // Clients check the name they dialled against the SAN: both forms a test may use.
        keytool(password, "-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-infile", request.toString(),
                "-outfile", serverCertificate.toString(), "-validity", "7", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-ext", "KU=digitalSignature", "-ext", "EKU=serverAuth");
        // The CA first, so that keytool can build the chain when the signed certificate replaces the self-signed one.
        keytool(password, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", keyStore.toString(), "-file", caCertificate.toString());
        keytool(password, "-importcert", "-alias", SERVER_ALIAS, "-keystore", keyStore.toString(), "-file", serverCertificate.toString());
        keytool(password, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", trustStore.toString(), "-file", caCertificate.toString());
        return new TestCertificates(keyStore, trustStore, password);
    }

    /** The server's private key and its certificate chain (server, CA). */
    public Path keyStore() {
        return keyStore;
    }

    /** The CA certificate alone: what a client trusts. */
    public Path trustStore() {
        return trustStore;
    }

    public String password() {
        return password;
    }

    private static void keytool(String password, String... args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.addAll(List.of("-storetype", STORE_TYPE, "-storepass", password, "-keypass", password));
        Keytool.run(arguments.toArray(String[]::new));
    }
}
