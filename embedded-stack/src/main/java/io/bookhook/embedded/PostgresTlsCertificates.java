package io.bookhook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test certificates for a Postgres server with TLS: a certificate authority and server certificates it signs, made with
 * the JDK's keytool (no extra library), written as the PEM files Postgres and pgjdbc read. Short-lived and for tests only:
 * the keystores' password is a constant.
 */
public final class PostgresTlsCertificates {

    private static final String STORE_PASSWORD = "bookhook-test";
    private static final String VALIDITY_DAYS = "2";

    private PostgresTlsCertificates() {
    }

    /** A CA's certificate ({@link #certificate()}, PEM: what BOOKHOOK_POSTGRES_SSLROOTCERT names) and its signing key. */
    public record Authority(String name, Path certificate, Path keyStore) {

        /**
         * A server certificate signed by this CA for {@code subjectAlternativeNames} in keytool's form ({@code dns:localhost},
         * {@code ip:127.0.0.1}), and its private key: PEM (unencrypted PKCS#8), readable by the owner only, as Postgres demands.
         */
        public ServerCertificate issueServerCertificate(Path dir, String name, String... subjectAlternativeNames) {
            Path serverStore = dir.resolve(name + ".p12");
            Path request = dir.resolve(name + ".csr");
            Path certificate = dir.resolve(name + ".crt");
            Path privateKey = dir.resolve(name + ".key");
            Keytool.run("-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", VALIDITY_DAYS,
                    "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD);
            Keytool.run("-certreq", "-alias", name, "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD,
                    "-file", request.toString());
            Keytool.run("-gencert", "-alias", name(), "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                    "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", VALIDITY_DAYS,
                    "-ext", "SAN=" + String.join(",", subjectAlternativeNames),
                    "-ext", "KU=digitalSignature,keyAgreement", "-ext", "EKU=serverAuth");
            Keytool.writePrivateKeyPem(serverStore, STORE_PASSWORD, name, privateKey);
            return new ServerCertificate(certificate, privateKey);
        }
    }

    /** A server's certificate and private key, both PEM. */
    public record ServerCertificate(Path certificate, Path privateKey) {
    }

    /** A new self-signed CA named {@code name}, its files in {@code dir}. */
    public static Authority authority(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path keyStore = dir.resolve(name + ".p12");
        Path certificate = dir.resolve(name + ".crt");
        Keytool.run("-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", VALIDITY_DAYS,
                "-ext", "BC:c=ca:true", "-ext", "KU=keyCertSign,cRLSign",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        Keytool.run("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                "-file", certificate.toString());
        return new Authority(name, certificate, keyStore);
    }
}
