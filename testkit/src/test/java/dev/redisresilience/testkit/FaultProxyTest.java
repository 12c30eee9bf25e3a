package dev.redisresilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    static RedisServer redis;

    @BeforeAll
    static void up() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void down() {
        redis.close();
    }

    private static RespClient viaProxy(FaultProxy p, long readTimeoutMs) {
        return RespClient.connect(p.host(), p.port(), Duration.ofSeconds(2), Duration.ofMillis(readTimeoutMs));
    }

    private static boolean connects(FaultProxy p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(p.host(), p.port()), 1000);
            return true;
        } catch (java.net.SocketException e) {
            // ConnectException (refused), or reset: a connect that raced with the listener closing
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void forwardsBothWays() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port()); RespClient c = viaProxy(p, 5000)) {
            assertThat(p.port()).isNotEqualTo(redis.port());
            assertThat(c.call("PING")).isEqualTo("PONG");
            byte[] big = new byte[200_000];
            java.util.Arrays.fill(big, (byte) 'x');
            c.call("SET".getBytes(), "big".getBytes(), big);
            assertThat((byte[]) c.call("GET".getBytes(), "big".getBytes())).isEqualTo(big);
            assertThat(p.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void refuseRejectsNewConnectsAndResetsLiveOnes() throws Exception {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port())) {
            RespClient live = viaProxy(p, 2000);
            assertThat(live.call("PING")).isEqualTo("PONG");

            p.refuse();
            assertThat(p.mode()).isEqualTo(FaultProxy.Mode.REFUSE);
            assertThatThrownBy(() -> new Socket(p.host(), p.port()).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> live.call("PING")).isInstanceOf(UncheckedIOException.class);
            live.close();

            p.pass();
            try (RespClient c = viaProxy(p, 2000)) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void cutResetsLiveConnectionsAndKeepsAccepting() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port())) {
            RespClient live = viaProxy(p, 2000);
            assertThat(live.call("PING")).isEqualTo("PONG");
            p.cut();
            assertThat(p.mode()).isEqualTo(FaultProxy.Mode.PASS);
            assertThatThrownBy(() -> live.call("PING")).isInstanceOf(UncheckedIOException.class);
            live.close();
            try (RespClient c = viaProxy(p, 2000)) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void blackHoleAcceptsButForwardsNothing() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port())) {
            RespClient existing = viaProxy(p, 300);
            assertThat(existing.call("PING")).isEqualTo("PONG");

            p.blackHole();
            try (RespClient fresh = viaProxy(p, 300)) { // connect succeeds
                assertThatThrownBy(() -> fresh.call("PING"))
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SocketTimeoutException.class);
            }
            assertThatThrownBy(() -> existing.call("ECHO", "held"))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SocketTimeoutException.class);

            // the network "recovers": held bytes flow again and new connections work
            p.pass();
            existing.timeout(Duration.ofSeconds(5));
            assertThat(RespReader.text(existing.readReply())).isEqualTo("held");
            existing.close();
            try (RespClient c = viaProxy(p, 2000)) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void latencyIsAddedPerChunk() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port()); RespClient c = viaProxy(p, 5000)) {
            assertThat(c.call("PING")).isEqualTo("PONG");
            p.latency(Duration.ofMillis(150));
            long t0 = System.nanoTime();
            assertThat(c.call("PING")).isEqualTo("PONG");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isGreaterThanOrEqualTo(300); // request chunk + reply chunk
            p.latency(Duration.ZERO);
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void flapAlternatesBetweenPassAndRefuse() throws Exception {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port())) {
            p.flap(Duration.ofMillis(200));
            int ok = 0;
            int refused = 0;
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < end) {
                if (connects(p)) ok++; else refused++;
                Thread.sleep(25);
            }
            assertThat(ok).isPositive();
            assertThat(refused).isPositive();
            p.pass(); // stops flapping
            Thread.sleep(500);
            for (int i = 0; i < 5; i++) {
                assertThat(connects(p)).isTrue();
                Thread.sleep(60);
            }
        }
    }

    @Test
    void closeReleasesThreadsAndSockets() throws Exception {
        FaultProxy p = FaultProxy.start(redis.host(), redis.port());
        RespClient a = viaProxy(p, 2000);
        RespClient b = viaProxy(p, 2000);
        assertThat(a.call("PING")).isEqualTo("PONG");
        assertThat(b.call("PING")).isEqualTo("PONG");
        Socket raw = new Socket(p.host(), p.port()); // connected, idle
        p.blackHole();
        Socket holed = new Socket(p.host(), p.port());
        Thread.sleep(100);
        assertThat(p.liveThreads()).isGreaterThanOrEqualTo(4);

        p.close();
        p.close(); // idempotent
        assertThat(p.liveThreads()).isZero();
        assertThat(p.openConnections()).isZero();
        String prefix = "fault-proxy-" + p.port() + "-";
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
        for (Socket s : new Socket[] {raw, holed}) {
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (IOException reset) {
                assertThat(reset).isNotInstanceOf(SocketTimeoutException.class);
            }
            s.close();
        }
        assertThatThrownBy(() -> a.call("PING")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> new Socket(p.host(), p.port()).close()).isInstanceOf(ConnectException.class);
        a.close();
        b.close();
    }
}
