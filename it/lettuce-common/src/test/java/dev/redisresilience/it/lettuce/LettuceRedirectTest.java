package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Paths;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, redirect: the app is configured for a dead port without credentials; {@code redirect} points it at
 * a password-protected Redis with db 2: the handshake authenticates and selects 2, the data lands there, and
 * the password appears in no output line.
 */
class LettuceRedirectTest {

    @Test
    void redirectSendsTheAppToTheTargetWithItsCredentialsAndDatabase() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (RedisServer target = RedisServer.builder().args("--requirepass", "s3cr3t-pw").start()) {
            ChildJvm.Result r = ChildJvm.builder()
                    .agent(Paths.get(System.getProperty("agent.jar")), null)
                    .sysProp("redis.resilience.redirect",
                            "localhost:" + dead + "->redis://:s3cr3t-pw@" + target.host() + ":" + target.port() + "/2")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(LettuceRedirectApp.class.getName())
                    .args(Integer.toString(dead))
                    .timeout(Duration.ofSeconds(60))
                    .start().waitFor();
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("RESULT get=v7 incr=1").contains("redirect").doesNotContain("s3cr3t-pw");
            try (RespClient c = target.client()) {
                assertThat(c.call("SELECT", "2")).isEqualTo("OK");
                assertThat(c.call("DBSIZE")).as("db 2").isEqualTo(21L);
                assertThat(c.call("SELECT", "0")).isEqualTo("OK");
                assertThat(c.call("DBSIZE")).as("db 0").isEqualTo(0L);
            }
        }
    }
}
