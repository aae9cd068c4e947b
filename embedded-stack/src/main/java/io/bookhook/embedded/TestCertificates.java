package io.bookhook.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** The server's certificate chain and its unencrypted PKCS#8 private key as PEM files (the key readable by its owner only). */
    public void writeServerPem(Path certificateChain, Path privateKey) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(in, password.toCharArray());
            Key key = store.getKey(SERVER_ALIAS, password.toCharArray());
            List<String> chain = new ArrayList<>();
            for (Certificate certificate : store.getCertificateChain(SERVER_ALIAS)) {
                chain.add(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.writeString(certificateChain, String.join("", chain), StandardCharsets.US_ASCII);
            Files.deleteIfExists(privateKey);
            Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the server's PEM files", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the server key from " + keyStore, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String password, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", STORE_TYPE, "-storepass", password, "-keypass", password));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            keytool.getOutputStream().close();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!keytool.waitFor(60, TimeUnit.SECONDS)) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " exited with " + keytool.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
