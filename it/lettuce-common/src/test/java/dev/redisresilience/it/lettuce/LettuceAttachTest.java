package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, attach with Lettuce: the agent is attached to a running app whose Lettuce connections are open
 * (see {@link LettuceAttachApp}). Then one endpoint is refused and another black-holed for 2.5 s: every
 * connection, those opened before the attach (in use at the attach, or idle until the outage cut them) and
 * the one opened after it, is answered by the fallback without an exception and without waiting for its
 * 2 s command timeout, and the writes of the outage are replayed to Redis. Lettuce logs nothing about it
 * (no reconnect attempts, no stack trace, no "Reconnected to"): the agent's DOWN/UP lines replace them.
 * Redis requires a password and the app uses db 3: the agent learns both from the connections it adopts (its
 * probe and replay authenticate and select db 3), and the password is never printed.
 */
class LettuceAttachTest {

    private static final Pattern SUMMARY = Pattern.compile("SUMMARY (\\w+) calls=(\\d+) incrs=(\\d+) exceptions=(\\d+) slowestMs=(\\d+)");
    private static final Pattern UP = Pattern.compile("Redis \\S+:(\\d+) is UP again .* (\\d+) writes replayed.* (\\d+) errors");
    private static final String PASSWORD = "att4ch-pw";

    /** connect-timeout (1 s) plus 1 s of scheduling noise, as in the outage suite; the app's command timeout is 2 s. */
    private static final long SLOWEST_BOUND_MS = 2_000;

    @Test
    void connectionsOpenBeforeAndAfterTheAttachSurviveRefusedAndBlackHoledRedis() throws Exception {
        try (RedisServer redis = RedisServer.builder().args("--requirepass", PASSWORD).start();
             FaultProxy refused = FaultProxy.start(redis.host(), redis.port());
             FaultProxy silent = FaultProxy.start(redis.host(), redis.port());
             ChildJvm.Handle app = ChildJvm.builder()
                     .classpath(ChildJvm.testClasspath())
                     .mainClass(LettuceAttachApp.class.getName())
                     .args(Integer.toString(refused.port()), Integer.toString(silent.port()), "6500", PASSWORD, "3")
                     .timeout(Duration.ofSeconds(60))
                     .start()) {
            Duration wait = Duration.ofSeconds(30);
            app.awaitLine(l -> l.equals("READY"), wait);
            ChildJvm.Result attach = ChildJvm.builder().jar(Paths.get(System.getProperty("agent.jar")))
                    .args("attach", Long.toString(app.pid()), "probe-interval=100ms", "connect-timeout=1s")
                    .timeout(Duration.ofSeconds(60)).start().waitFor();
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            app.awaitLine(l -> l.contains("active (attached)"), wait);
            app.stdin().println("go");
            Thread.sleep(1200);
            refused.refuse();
            silent.blackHole();
            Thread.sleep(300);
            app.stdin().println("late");
            Thread.sleep(2200);
            refused.pass();
            silent.pass();
            app.awaitLine(l -> l.equals("DONE"), wait);
            String out = String.join("\n", app.lines());

            SoftAssertions soft = new SoftAssertions();
            try (RespClient c = redis.client()) {
                assertThat(c.call("SELECT", "3")).isEqualTo("OK");
                for (String l : app.lines()) {
                    Matcher m = SUMMARY.matcher(l);
                    if (!m.matches()) {
                        continue;
                    }
                    String name = m.group(1);
                    long incrs = Long.parseLong(m.group(3));
                    soft.assertThat(Long.parseLong(m.group(4))).as(name + " exceptions\n" + out).isZero();
                    soft.assertThat(Long.parseLong(m.group(5))).as(name + " slowest call (ms)\n" + out).isLessThan(SLOWEST_BOUND_MS);
                    Object n = c.call("GET", "attach:" + name + ":n");
                    long inRedis = n == null ? 0 : Long.parseLong(new String((byte[]) n, StandardCharsets.US_ASCII));
                    // an INCR in flight when the connection was cut is of unknown fate and not replayed
                    soft.assertThat(inRedis).as(name + ": INCRs in Redis after the replay\n" + out).isBetween(incrs - 1, incrs);
                }
            }
            soft.assertThat(app.lines().stream().filter(l -> l.startsWith("SUMMARY"))).as(out).hasSize(4);
            soft.assertThat(app.lines()).as("Lettuce's own lines about the outage").noneMatch(l -> !l.startsWith("[redis-resilience]")
                    && (l.contains("Reconnecting") || l.contains("Cannot reconnect") || l.contains("Reconnected to")
                    || l.startsWith("\tat ") || l.contains("Exception")));
            for (int port : List.of(refused.port(), silent.port())) {
                long replayed = app.lines().stream().map(UP::matcher).filter(Matcher::find)
                        .filter(m -> Integer.parseInt(m.group(1)) == port)
                        .mapToLong(m -> Long.parseLong(m.group(2))).sum();
                soft.assertThat(replayed).as("writes replayed to port " + port + "\n" + out).isPositive();
            }
            soft.assertThat(app.lines().stream().map(UP::matcher).filter(Matcher::find).map(m -> m.group(3)))
                    .as("reconcile errors (the probe authenticates and selects db 3 like the connections)\n" + out)
                    .isNotEmpty().allMatch("0"::equals);
            soft.assertThat(out).doesNotContain(PASSWORD);
            soft.assertAll();
        }
    }
}
