package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespReader;
import dev.redisresilience.testkit.TestTls;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe and reconcile speak TLS when the client did, with the client's trust (a real TLS redis-server). */
class ProbeTlsTest {
    @TempDir
    Path dir;

    @Test
    void probeReconcilesOverTlsWithTheClientsSocketFactoryAndFailsWithoutIt() throws Exception {
        TestTls tls = TestTls.create(dir);
        Path key = tls.key();
        Path cert = tls.certificate();
        int tlsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        CapturingLog log = new CapturingLog();
        try (RedisServer redis = RedisServer.builder().args("--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no").start()) {
            EndpointRegistry reg = new EndpointRegistry(EndpointSettings.builder().probeIntervalMillis(100).build(),
                    new FallbackEngine(new EngineLimits(1000, 1 << 20)), log, null);
            try {
                EndpointGuard g = reg.guard("127.0.0.1", tlsPort);
                g.learnCredentials(null, null, 0, true);
                EngineSession session = g.newSession();
                assertThat(g.onFailure(new RuntimeException("x", new ConnectException("Connection refused")), true)).isTrue();
                EngineReply r = g.serve(session, RespClient.toBytes("SET", "k", "over-tls"), false);
                assertThat(RespReader.str(RespReader.parse(r.resp()))).isEqualTo("OK");

                // the JDK's default trust does not know this self-signed certificate: the probe cannot get in
                Await.until("a TLS probe failure", 5_000, () -> String.valueOf(g.lastProbeFailure()).contains("SSL"));
                assertThat(g.state()).isEqualTo(EndpointState.DOWN);

                // the client's own factory (what an adapter hands over) trusts it
                g.learnTls(trusting(cert));
                Await.state(g, EndpointState.UP, 5_000);
                try (RespClient plain = redis.client()) {
                    assertThat(RespReader.str(plain.call("GET", "k"))).isEqualTo("over-tls");
                }
            } finally {
                reg.close();
            }
        }
    }

    static SSLSocketFactory trusting(Path certPem) throws Exception {
        Certificate c;
        try (InputStream in = Files.newInputStream(certPem)) {
            c = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("redis", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }
}
