package dev.redisresilience.agent.ops;

import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.endpoint.EndpointAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectsTest {
    @AfterEach
    void reset() {
        Redirects.install(Collections.emptyList());
    }

    @Test
    void inactiveWithoutRules() {
        assertThat(Redirects.active).isFalse();
        assertThat(Redirects.match("localhost", 6379)).isNull();
    }

    @Test
    void loopbackSpellingsMatchTheSameRuleAndOtherPortsDoNot() {
        RedirectRule r = RedirectRule.parse("localhost:6379->rediss://app:pw@cache.internal:6380/2");
        Redirects.install(Arrays.asList(RedirectRule.parse("10.0.0.1:7000->other:7001"), r));
        assertThat(Redirects.active).isTrue();
        assertThat(Redirects.match("127.0.0.1", 6379)).isSameAs(r);
        assertThat(Redirects.match("LOCALHOST", 6379)).isSameAs(r);
        assertThat(Redirects.match("::1", 6379)).isSameAs(r);
        assertThat(Redirects.match("localhost", 6380)).isNull();
        assertThat(Redirects.match("cache.internal", 6380)).as("targets are not redirected again").isNull();
        assertThat(Redirects.match(null, 6379)).isNull();
    }

    @Test
    void resolverAccountsARedirectedAddressToItsTarget() {
        Redirects.install(Collections.singletonList(RedirectRule.parse("127.0.0.1:6379->redis://:pw@db.example:6390/1")));
        EndpointAddress a = Redirects.resolver().resolve("localhost", 6379);
        assertThat(a.id()).isEqualTo("db.example:6390");
        assertThat(Redirects.resolver().resolve("elsewhere", 6379).id()).isEqualTo("elsewhere:6379");
    }

    @Test
    void rulesAreListedWithoutPasswords() {
        Redirects.install(Collections.singletonList(RedirectRule.parse("localhost:6379->redis://u:topsecret@h:1/2")));
        assertThat(Redirects.rules().get(0).toString()).doesNotContain("topsecret").contains("u:***@h:1/2");
    }
}
