package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.TestTls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, redirect to TLS (the production incident: the app fell back to a local default where nothing
 * listens): the app is configured for a refused port without TLS or credentials;
 * {@code redirect=localhost:<dead>->rediss://app:<pw>@localhost:<port>/2} points it at a TLS-only endpoint
 * (a fault proxy in front of redis-server's TLS port) that requires the ACL user {@code app}. Lettuce
 * verifies the certificate and the host name ({@code localhost}); the child JVM trusts the test certificate
 * through the {@code javax.net.ssl.trustStore} properties, which Lettuce and the agent's probe both use. The
 * endpoint is unreachable for 2.5 s and comes back: no exception, the probe and the replay get in over TLS
 * as {@code app}, every INCR is in db 2, and the password is never printed.
 *
 * <p>Tagged {@value #TAG}: the default build runs it with Lettuce 7.x only (the URI rewrite it relies on is
 * the same for every version and {@link LettuceRedirectTest} covers it on each);
 * {@code -Dit.lettuce.excludedGroups=none} runs it with any version.
 */
@Tag(LettuceRedirectTlsTest.TAG)
class LettuceRedirectTlsTest {
    static final String TAG = "redirect-tls";
    private static final String PASSWORD = "tls-s3cr3t-pw";
    private static final Pattern SUMMARY = Pattern.compile("SUMMARY tls calls=(\\d+) incrs=(\\d+) exceptions=(\\d+) slowestMs=(\\d+)");
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
                    .mainClass(LettuceRedirectTlsApp.class.getName())
                    .args(Integer.toString(dead), "6000")
                    .timeout(Duration.ofSeconds(60))
                    .start()) {
                app.awaitLine(l -> l.equals("READY"), Duration.ofSeconds(30));
                Thread.sleep(1500);
                proxy.refuse();
                Thread.sleep(2500);
                proxy.pass();
                app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(40));
                out = String.join("\n", app.lines());
            }
            Matcher summary = SUMMARY.matcher(out);
            assertThat(summary.find()).as(out).isTrue();
            assertThat(summary.group(3)).as("exceptions\n" + out).isEqualTo("0");
            long incrs = Long.parseLong(summary.group(2));
            assertThat(out).doesNotContain(PASSWORD)
                    .contains("redirect localhost:" + dead + "->rediss://app:***@localhost:" + proxy.port() + "/2 applied to Lettuce")
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
                Object n = c.call("GET", "attach:tls:n");
                long inRedis = n == null ? 0 : Long.parseLong(new String((byte[]) n, StandardCharsets.US_ASCII));
                // an INCR in flight when the connection was cut is of unknown fate and not replayed
                assertThat(inRedis).as("INCRs in db 2\n" + out).isBetween(incrs - 1, incrs);
                assertThat(c.call("SELECT", "0")).isEqualTo("OK");
                assertThat(c.call("DBSIZE")).as("db 0").isEqualTo(0L);
            }
        }
    }
}
