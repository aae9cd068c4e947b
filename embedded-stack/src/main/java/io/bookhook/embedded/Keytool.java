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

/** The JDK's own keytool, which the test certificates are made with (no extra library), and the PEM files it cannot write. */
final class Keytool {

    private Keytool() {
    }

    static void run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            keytool.getOutputStream().close();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!keytool.waitFor(60, TimeUnit.SECONDS)) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " did not finish within 60 s");
            }
            if (keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " exited with " + keytool.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    /** keytool cannot export a private key: read it from the PKCS#12 store and write it as PEM, readable by its owner only. */
    static void writePrivateKeyPem(Path store, String password, String alias, Path target) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            Key key = keyStore.getKey(alias, password.toCharArray());
            Files.deleteIfExists(target);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(target, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the private key " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the private key of " + alias + " from " + store, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
