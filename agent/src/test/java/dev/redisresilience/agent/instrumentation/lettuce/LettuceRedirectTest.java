package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.log.AgentLog;
import dev.redisresilience.agent.ops.Redirects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RedisURI rewrite against the setters of Lettuce 5.x, which has no {@code setUsername} (ACL users came
 * with Lettuce 6): a rule with a user still redirects host, port, TLS, password and database, and says once
 * that the user cannot be sent, instead of failing (an instrumentation failure would turn the whole Lettuce
 * adapter into pass-through). The other versions' setters are exercised by the it/lettuce-* redirect tests.
 */
class LettuceRedirectTest {

    /** The RedisURI setters of Lettuce 5.3. */
    public static final class Lettuce5Uri {
        public String host = "localhost";
        public int port;
        public boolean ssl;
        public char[] password;
        public int database;

        public String getHost() { return host; }
        public int getPort() { return port; }
        public void setHost(String h) { host = h; }
        public void setPort(int p) { port = p; }
        public void setSsl(boolean s) { ssl = s; }
        public void setPassword(char[] p) { password = p; }
        public void setDatabase(int d) { database = d; }
    }

    @AfterEach
    void reset() {
        Redirects.install(Collections.emptyList());
    }

    @Test
    void aUserTheLettuceVersionCannotSendIsReportedOnceAndTheRestIsRedirected() throws Exception {
        Redirects.install(Collections.singletonList(RedirectRule.parse("localhost:7379->rediss://app:pw5x@cache.internal:6380/2")));
        try (AgentLog.Capture log = AgentLog.capture()) {
            for (int i = 0; i < 2; i++) {
                Lettuce5Uri uri = new Lettuce5Uri();
                uri.port = 7379;
                LettuceRedirect.rewrite(uri);
                assertThat(uri.host).isEqualTo("cache.internal");
                assertThat(uri.port).isEqualTo(6380);
                assertThat(uri.ssl).isTrue();
                assertThat(new String(uri.password)).isEqualTo("pw5x");
                assertThat(uri.database).isEqualTo(2);
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("cannot authenticate as an ACL user")).hasSize(1);
            assertThat(log.lines()).noneMatch(l -> l.contains("pw5x") || l.contains("failure"));
        }
    }
}
