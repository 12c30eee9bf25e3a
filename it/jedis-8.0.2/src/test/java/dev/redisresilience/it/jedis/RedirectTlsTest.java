package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, redirect to TLS (the production incident: the app fell back to a local default where nothing
 * listens): the app is configured for a refused port, {@code redirect=localhost:<dead>->rediss://app:<pw>@localhost:<port>/2}
 * points it at a TLS-only endpoint (a fault proxy in front of redis-server's TLS port) that requires the ACL
 * user {@code app}. Every client kind runs its workload there; the endpoint is unreachable for 2.5 s and comes
 * back. The child JVM trusts the test certificate through the {@code javax.net.ssl.trustStore} properties,
 * which Jedis and the agent's probe both use.
 */
class RedirectTlsTest {
    private static final String PASSWORD = "tls-s3cr3t-pw";
    private static final Pattern UP = Pattern.compile("Redis localhost:(\\d+) is UP again .* (\\d+) writes replayed.* (\\d+) errors");

    @TempDir
    Path dir;

    @Test
    void redirectToTlsWithUserPasswordAndDatabaseSurvivesAnOutage() throws Exception {
        TestTls tls = TestTls.create(dir);
        int tlsPort = TestTls.freePort();
        // only TO's user and password get in
        List<String> args = tls.redisArgsWithOnlyUser(tlsPort, "app", PASSWORD);
        try (RedisServer target = RedisServer.builder().args(args.toArray(new String[0])).start();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", tlsPort)) {
            int dead = TestTls.freePort();
            ChildJvm.Builder b = ChildJvm.builder()
                    .agent(Path.of(System.getProperty("agent.jar")), "probe-interval=100ms,connect-timeout=1s")
                    .sysProp("redis.resilience.redirect",
                            "localhost:" + dead + "->rediss://app:" + PASSWORD + "@localhost:" + proxy.port() + "/2");
            tls.trustProperties().forEach(b::sysProp);
            String out;
            try (ChildJvm.Handle app = b.classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(Jedis8_0_2Test.class.getName(), "127.0.0.1", Integer.toString(dead), "6500")
                    .timeout(Duration.ofSeconds(60))
                    .start()) {
                app.awaitLine(l -> l.equals("READY"), Duration.ofSeconds(30));
                Thread.sleep(1500);
                proxy.refuse();
                Thread.sleep(2500);
                proxy.pass();
                String summary = app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(40));
                out = String.join("\n", app.lines());
                assertThat(summary).as(out).contains("exceptions=0");
            }
            assertThat(out).doesNotContain(PASSWORD)
                    .contains("redirect localhost:" + dead + "->rediss://app:***@localhost:" + proxy.port() + "/2 applied to Jedis")
                    .contains("Redis localhost:" + proxy.port() + " is DOWN");
            // the last UP line is the outage's (a first TLS connect of a cold JVM may outlast connect-timeout too)
            List<MatchResult> ups = UP.matcher(out).results().toList();
            assertThat(ups).as("UP lines\n" + out).isNotEmpty();
            MatchResult up = ups.get(ups.size() - 1);
            assertThat(Integer.parseInt(up.group(1))).isEqualTo(proxy.port());
            assertThat(Long.parseLong(up.group(2))).as("writes replayed over TLS\n" + out).isPositive();
            assertThat(up.group(3)).as("reconcile errors\n" + out).isEqualTo("0");
            assertThat(out.split(" is UP again", -1).length).as("as many UP lines as DOWN lines\n" + out)
                    .isEqualTo(out.split(" is DOWN ", -1).length);
            try (RespClient c = target.client()) {
                assertThat(c.call("SELECT", "2")).isEqualTo("OK");
                for (Kind kind : new Jedis8_0_2Test().kinds()) {
                    assertThat((List<?>) c.call("KEYS", "child:" + kind + ":*")).as("db 2 holds " + kind + "'s keys\n" + out).isNotEmpty();
                }
                assertThat(c.call("SELECT", "0")).isEqualTo("OK");
                assertThat(c.call("DBSIZE")).as("db 0").isEqualTo(0L);
            }
        }
    }
}
