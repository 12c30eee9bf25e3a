package dev.redisresilience.agent.policy;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.config.ConfigException;
import dev.redisresilience.agent.config.Glob;
import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.EndpointRegistry;
import dev.redisresilience.agent.endpoint.EndpointSettings;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static dev.redisresilience.agent.policy.CommandKeysTest.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FallbackPolicyTest {

    static FallbackPolicy policy(String agentArgs) {
        try {
            return FallbackPolicy.from(AgentConfig.parse(agentArgs, null, null));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    static String check(FallbackPolicy p, String... argv) {
        return p.deny("127.0.0.1:6379", null, a(argv));
    }

    static List<Glob> globs(String... p) {
        return Arrays.stream(p).map(Glob::compile).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ defaults: only the lock idiom

    @Test
    void byDefaultOnlyTheLockIdiomIsRefused() {
        FallbackPolicy p = policy("");
        assertThat(check(p, "SET", "lock:job", "id-1", "NX", "PX", "30000"))
                .isEqualTo("SET lock:job is not served locally: set-if-absent is the lock idiom, and a lock granted"
                        + " from one instance's memory is not exclusive (fallback.lock-idiom=fail; list the key in"
                        + " fallback.allow-keys or set fallback.lock-idiom=serve to serve it)");
        assertThat(check(p, "SET", "k", "v")).isNull();
        assertThat(check(p, "SET", "k", "v", "EX", "10")).isNull();
        assertThat(check(p, "SET", "k", "v", "XX", "PX", "10")).isNull();
        assertThat(check(p, "GET", "lock:job")).isNull();
        assertThat(check(p, "DEL", "lock:job")).isNull();
        assertThat(check(p, "FLUSHALL")).isNull();
        assertThat(check(p, "JSON.SET", "k", "$", "1")).isNull(); // unknown: the engine decides
        assertThat(check(p, "EVAL", "return 1", "0")).isNull();   // the engine refuses scripts itself
    }

    @Test
    void everySetIfAbsentShapeIsTheLockIdiom() {
        FallbackPolicy p = policy("");
        for (String[] argv : new String[][] {
                {"SET", "l", "v", "NX", "PX", "30000"},
                {"set", "l", "v", "nx", "ex", "30"},
                {"SET", "l", "v", "PX", "30000", "NX"},
                {"SET", "l", "v", "EXAT", "1900000000", "NX"},
                {"SET", "l", "v", "NX", "PXAT", "1900000000000"},
                {"SET", "l", "v", "NX"},                // no expiry: still exclusive-by-claim
                {"SET", "l", "v", "NX", "GET"},         // Redis 7 NX GET
                {"SET", "l", "v", "KEEPTTL", "NX"},
                {"SETNX", "l", "v"},                     // the two-step SETNX + EXPIRE idiom
                {"MSETNX", "l1", "v", "l2", "v"}}) {
            assertThat(check(p, argv)).as(String.join(" ", argv)).contains("lock idiom");
        }
        // an option value that reads "NX" is not the NX flag; "NX" as the value is a plain SET
        assertThat(check(p, "SET", "k", "NX")).isNull();
        assertThat(check(p, "SET", "k", "v", "EX", "NX")).isNull(); // malformed: the engine answers the error
        assertThat(check(p, "HSETNX", "h", "f", "v")).isNull();       // not a string lock: documented
    }

    @Test
    void lockIdiomServeOptsIn() {
        FallbackPolicy p = policy("fallback.lock-idiom=serve");
        assertThat(check(p, "SET", "lock:job", "id", "NX", "PX", "30000")).isNull();
        assertThat(check(p, "SETNX", "lock:job", "id")).isNull();
    }

    @Test
    void allowListedKeysMayUseNx() {
        FallbackPolicy p = policy("fallback.allow-keys=cache:*,session:*");
        assertThat(check(p, "SET", "cache:user:1", "{}", "NX", "EX", "60")).isNull();
        assertThat(check(p, "MSETNX", "cache:a", "1", "session:b", "2")).isNull();
        assertThat(check(p, "SET", "lock:job", "id", "NX", "PX", "30000"))
                .isEqualTo("SET lock:job is not served locally: key matches no pattern of fallback.allow-keys");
    }

    // ------------------------------------------------------------------ deny-commands

    @Test
    void deniedCommands() {
        FallbackPolicy p = policy("fallback.deny-commands=incr,INCRBY,flushall");
        assertThat(check(p, "incr", "rate:ip:1"))
                .isEqualTo("INCR is not served locally: the command is in fallback.deny-commands");
        assertThat(check(p, "INCRBY", "x", "2")).contains("fallback.deny-commands");
        assertThat(check(p, "FLUSHALL")).contains("fallback.deny-commands");
        assertThat(check(p, "DECR", "x")).isNull();
    }

    // ------------------------------------------------------------------ deny-keys

    @Test
    void deniedKeysInEveryPosition() {
        FallbackPolicy p = policy("fallback.deny-keys=lock:*,rate:?:*");
        assertThat(check(p, "SET", "lock:job", "v"))
                .isEqualTo("SET lock:job is not served locally: key matches fallback.deny-keys 'lock:*'");
        assertThat(check(p, "GET", "lock:job")).contains("'lock:*'");
        assertThat(check(p, "INCR", "rate:a:1")).isEqualTo("INCR rate:a:1 is not served locally: key matches fallback.deny-keys 'rate:?:*'");
        assertThat(check(p, "INCR", "rate:ab:1")).isNull();
        assertThat(check(p, "MSET", "a", "1", "lock:x", "2")).startsWith("MSET lock:x is not served");
        assertThat(check(p, "MSET", "a", "lock:x", "b", "2")).isNull(); // lock:x is a value there
        assertThat(check(p, "DEL", "a", "lock:x")).startsWith("DEL lock:x ");
        assertThat(check(p, "BLPOP", "q", "lock:q", "0")).startsWith("BLPOP lock:q ");
        assertThat(check(p, "BLPOP", "q", "lock:q")).isNull(); // lock:q is the timeout position (malformed)
        assertThat(check(p, "LMOVE", "q", "lock:q", "LEFT", "RIGHT")).startsWith("LMOVE lock:q ");
        assertThat(check(p, "RENAME", "tmp", "lock:job")).startsWith("RENAME lock:job ");
        assertThat(check(p, "SINTERSTORE", "lock:dst", "a", "b")).startsWith("SINTERSTORE lock:dst ");
        assertThat(check(p, "SINTERSTORE", "dst", "a", "lock:b")).startsWith("SINTERSTORE lock:b ");
        assertThat(check(p, "ZUNIONSTORE", "dst", "2", "a", "lock:z")).startsWith("ZUNIONSTORE lock:z ");
        assertThat(check(p, "WATCH", "lock:job")).startsWith("WATCH lock:job ");
        assertThat(check(p, "SET", "a", "b")).isNull();
        assertThat(check(p, "PING")).isNull();
        assertThat(check(p, "SELECT", "1")).isNull();
    }

    @Test
    void keyPoliciesFailClosedOnUnknownCommandsAndFlushes() {
        FallbackPolicy p = policy("fallback.deny-keys=lock:*");
        assertThat(check(p, "JSON.SET", "lock:x", "$", "1"))
                .isEqualTo("JSON.SET is not served locally: the fallback policy cannot tell which keys it touches"
                        + " (fallback.deny-keys / fallback.allow-keys are set)");
        assertThat(check(p, "FLUSHDB"))
                .isEqualTo("FLUSHDB is not served locally: it touches every key, including keys that fallback.deny-keys protects");
        assertThat(check(policy("fallback.allow-keys=a*"), "FLUSHALL", "ASYNC"))
                .contains("fallback.allow-keys does not list");
    }

    @Test
    void binaryKeysAreShownEscapedAndShort() {
        FallbackPolicy p = new FallbackPolicy(null, globs("lock:*"), null, false);
        byte[][] argv = {"GET".getBytes(), new byte[] {'l', 'o', 'c', 'k', ':', 0, (byte) 0xff, '\\'}};
        assertThat(p.deny("e", null, argv)).startsWith("GET lock:\\x00\\xff\\x5c is not served locally");
        byte[] longKey = ("lock:" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8);
        assertThat(p.deny("e", null, new byte[][] {"GET".getBytes(), longKey}))
                .startsWith("GET lock:xxx").contains("... is not served").hasSizeLessThan(200);
    }

    // ------------------------------------------------------------------ allow-keys

    @Test
    void allowListServesOnlyKeysItLists() {
        FallbackPolicy p = policy("fallback.allow-keys=session:*,cache:*");
        assertThat(check(p, "GET", "session:1")).isNull();
        assertThat(check(p, "MGET", "session:1", "cache:2")).isNull();
        assertThat(check(p, "MGET", "session:1", "user:2"))
                .isEqualTo("MGET user:2 is not served locally: key matches no pattern of fallback.allow-keys");
        assertThat(check(p, "PING")).isNull();
        assertThat(check(p, "DBSIZE")).isNull();
    }

    @Test
    void denyWinsOverAllow() {
        FallbackPolicy p = policy("fallback.allow-keys=*,fallback.deny-keys=lock:*");
        assertThat(check(p, "SET", "lock:a", "1")).contains("fallback.deny-keys 'lock:*'");
        assertThat(check(p, "SET", "other", "1", "NX")).isNull(); // allow-keys=* opts every key in
    }

    @Test
    void nullArgvAndOddInputNeverThrow() {
        FallbackPolicy p = policy("fallback.deny-keys=lock:*");
        assertThat(p.deny("e", null, null)).isNull();
        assertThat(p.deny("e", null, new byte[0][])).isNull();
        assertThat(p.deny("e", null, new byte[][] {null})).isNull();
        assertThat(p.deny("e", null, new byte[][] {"DEL".getBytes(), null})).isNull();
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void aBadGlobIsOneClearLine() {
        assertThatThrownBy(() -> AgentConfig.parse("fallback.deny-keys=lock:[a-", null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
                        .contains("fallback.deny-keys").contains("lock:[a-").contains("unclosed '['"));
        assertThatThrownBy(() -> AgentConfig.parse("fallback.allow-keys=cache:\\", null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("fallback.allow-keys"));
        assertThatThrownBy(() -> AgentConfig.parse("fallback.deny-commands=in cr", null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("fallback.deny-commands"));
        assertThatThrownBy(() -> AgentConfig.parse("fallback.lock-idiom=allow", null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("fail, serve"));
    }

    // ------------------------------------------------------------------ with the engine and the guard

    @Test
    void aRefusalInsideMultiAbortsTheTransactionLikeRedis() {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(100, 1 << 20));
        EngineSession s = engine.openSession("e:1", null);
        FallbackPolicy p = policy("");
        assertThat(text(engine.execute(s, a("MULTI")))).isEqualTo("+OK\r\n");
        assertThat(text(engine.execute(s, a("SET", "k", "v")))).isEqualTo("+QUEUED\r\n");
        assertThat(p.deny("e:1", s, a("SET", "lock:job", "id", "NX", "PX", "30000"))).contains("lock idiom");
        assertThat(text(engine.execute(s, a("EXEC")))).startsWith("-EXECABORT");
        assertThat(text(engine.execute(s, a("GET", "k")))).isEqualTo("$-1\r\n");
        // outside MULTI a refusal leaves the session alone
        assertThat(p.deny("e:1", s, a("SETNX", "lock:job", "id"))).isNotNull();
        assertThat(text(engine.execute(s, a("MULTI")))).isEqualTo("+OK\r\n");
        assertThat(text(engine.execute(s, a("SET", "k", "v")))).isEqualTo("+QUEUED\r\n");
        assertThat(text(engine.execute(s, a("EXEC")))).isEqualTo("*1\r\n+OK\r\n");
    }

    @Test
    void theGuardConsultsThePolicyOnlyWhenItIsAboutToServe() {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(100, 1 << 20));
        EndpointRegistry reg = new EndpointRegistry(EndpointSettings.defaults(), engine);
        try {
            int[] consulted = {0};
            FallbackPolicy real = policy("fallback.deny-keys=lock:*");
            reg.setServePolicy((id, session, argv) -> {
                consulted[0]++;
                return real.deny(id, session, argv);
            });
            EndpointGuard g = reg.guard("127.0.0.1", 1); // never dialled: UP until told otherwise
            EngineSession s = g.newSession();
            assertThat(g.serve(s, a("SET", "lock:job", "1"), false)).isSameAs(EndpointGuard.USE_REDIS);
            assertThat(consulted[0]).isZero();

            reg.setForceFallback(true); // DOWN: now the engine would serve
            EngineReply refused = g.serve(s, a("SET", "lock:job", "1"), false);
            assertThat(refused.served()).isFalse();
            assertThat(refused.notServedReason()).isEqualTo("SET lock:job is not served locally: key matches fallback.deny-keys 'lock:*'");
            assertThat(text(g.serve(s, a("SET", "k", "1"), false))).isEqualTo("+OK\r\n");
            assertThat(consulted[0]).isEqualTo(2);
            assertThat(g.stats().writesJournaled()).isEqualTo(1); // the refused write was not journaled
            assertThat(text(g.serve(s, a("EXISTS", "lock:x", "k"), false))).isNull();
        } finally {
            reg.close();
        }
    }

    static String text(EngineReply r) {
        return r.served() ? new String(r.resp(), StandardCharsets.UTF_8) : null;
    }
}
