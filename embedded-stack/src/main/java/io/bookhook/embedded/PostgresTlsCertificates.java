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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", VALIDITY_DAYS,
                    "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD);
            keytool("-certreq", "-alias", name, "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD,
                    "-file", request.toString());
            keytool("-gencert", "-alias", name(), "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                    "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", VALIDITY_DAYS,
                    "-ext", "SAN=" + String.join(",", subjectAlternativeNames),
                    "-ext", "KU=digitalSignature,keyAgreement", "-ext", "EKU=serverAuth");
            writePrivateKey(serverStore, name, privateKey);
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
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", VALIDITY_DAYS,
                "-ext", "BC:c=ca:true", "-ext", "KU=keyCertSign,cRLSign",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                "-file", certificate.toString());
        return new Authority(name, certificate, keyStore);
    }

    /** keytool cannot export a private key: read it from the PKCS#12 store and write it as PEM. */
    private static void writePrivateKey(Path store, String alias, Path target) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            Key key = keyStore.getKey(alias, STORE_PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.deleteIfExists(target);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(target, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the private key " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the private key of " + alias + " from " + store, e);
        }
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
