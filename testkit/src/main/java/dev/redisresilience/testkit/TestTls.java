package dev.redisresilience.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TLS for tests against a real redis-server: a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1} made by the JDK's {@code keytool}, the redis-server arguments that serve TLS with it on a port,
 * and a PKCS12 trust store holding it, for the (child) JVM that must trust it through the
 * {@code javax.net.ssl.trustStore} system properties. The redis-server binary must be built with TLS.
 */
public final class TestTls {
    /** Password of the trust store (it holds a public certificate only). */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private final Path certificate;
    private final Path key;
    private final Path trustStore;

    private TestTls(Path certificate, Path key, Path trustStore) {
        this.certificate = certificate;
        this.key = key;
        this.trustStore = trustStore;
    }

    /**
     * Writes {@code cert.pem}, {@code key.pem} and {@code truststore.p12} into {@code dir}. The key pair and
     * certificate come from the JDK's own {@code keytool} (no openssl needed); the PEM files are exported here.
     */
    public static TestTls create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path server = dir.resolve("server.p12");
            Files.deleteIfExists(server);
            String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", server.toString(), "-storetype", "PKCS12",
                    "-storepass", TRUST_STORE_PASSWORD, "-keypass", TRUST_STORE_PASSWORD)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make a certificate: " + out);
            }
            KeyStore serverStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server)) {
                serverStore.load(in, TRUST_STORE_PASSWORD.toCharArray());
            }
            Certificate c = serverStore.getCertificate(ALIAS);
            Key k = serverStore.getKey(ALIAS, TRUST_STORE_PASSWORD.toCharArray());
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(cert, pem("CERTIFICATE", c.getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", k.getEncoded())); // PKCS#8
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(ALIAS, c);
            Path store = dir.resolve("truststore.p12");
            try (OutputStream o = Files.newOutputStream(store)) {
                ks.store(o, TRUST_STORE_PASSWORD.toCharArray());
            }
            return new TestTls(cert, key, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ALIAS = "redis-test";

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
    }

    public Path trustStore() {
        return trustStore;
    }

    /** redis-server arguments: serve TLS on {@code tlsPort} with this certificate, no client certificates. */
    public List<String> redisArgs(int tlsPort) {
        return List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certificate.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no");
    }

    /**
     * {@link #redisArgs} plus an ACL user {@code user} with {@code password} and every permission; the default
     * user gets another password, so only that user's credentials get in.
     */
    public List<String> redisArgsWithOnlyUser(int tlsPort, String user, String password) {
        List<String> args = new java.util.ArrayList<>(redisArgs(tlsPort));
        args.addAll(List.of("--requirepass", "default-" + password, "--user", user, "on", ">" + password,
                "~*", "&*", "+@all"));
        return args;
    }

    /** System properties that make a JVM's default SSL context trust this certificate. */
    public Map<String, String> trustProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("javax.net.ssl.trustStore", trustStore.toString());
        m.put("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD);
        m.put("javax.net.ssl.trustStoreType", "PKCS12");
        return m;
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
