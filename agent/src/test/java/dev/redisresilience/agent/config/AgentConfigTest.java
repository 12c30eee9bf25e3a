package dev.redisresilience.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {

    /** key, getter, three valid values (env, sysprop, arg; consecutive ones differ), their expected typed values. */
    record Row(String key, Function<AgentConfig, Object> get, String envV, String propV, String argV,
               Object envE, Object propE, Object argE) { }

    static List<Row> rows() {
        return List.of(
                new Row("enabled", AgentConfig::enabled, "false", "true", "false", false, true, false),
                new Row("fallback", AgentConfig::fallback, "none", "memory", "none",
                        AgentConfig.Fallback.NONE, AgentConfig.Fallback.MEMORY, AgentConfig.Fallback.NONE),
                new Row("fallback.max-entries", AgentConfig::fallbackMaxEntries, "10", "20", "30", 10, 20, 30),
                new Row("fallback.max-memory", AgentConfig::fallbackMaxMemoryBytes, "512k", "1g", "2048",
                        512L * 1024, 1024L * 1024 * 1024, 2048L),
                new Row("reconcile", AgentConfig::reconcile, "invalidate", "none", "replay",
                        AgentConfig.Reconcile.INVALIDATE, AgentConfig.Reconcile.NONE, AgentConfig.Reconcile.REPLAY),
                new Row("force-fallback", AgentConfig::forceFallback, "true", "false", "true", true, false, true),
                new Row("lazy-connect", AgentConfig::lazyConnect, "false", "true", "false", false, true, false),
                new Row("probe-interval", AgentConfig::probeIntervalMillis, "2s", "1m", "100ms", 2000L, 60000L, 100L),
                new Row("connect-timeout", AgentConfig::connectTimeoutMillis, "3s", "200ms", "10m", 3000L, 200L, 600000L),
                new Row("stall-timeout", AgentConfig::stallTimeoutMillis, "1s", "50ms", "2m", 1000L, 50L, 120000L),
                new Row("fallback.deny-keys", c -> patterns(c.fallbackDenyKeys()), "a:*", "b?,c[0-9]", "d\\,e,f*",
                        List.of("a:*"), List.of("b?", "c[0-9]"), List.of("d\\,e", "f*")),
                new Row("fallback.allow-keys", c -> patterns(c.fallbackAllowKeys()), "x*", "y*", "z*,w*",
                        List.of("x*"), List.of("y*"), List.of("z*", "w*")),
                new Row("fallback.deny-commands", AgentConfig::fallbackDenyCommands, "flushall", "eval,EVALSHA", "json.set",
                        List.of("FLUSHALL"), List.of("EVAL", "EVALSHA"), List.of("JSON.SET")),
                new Row("redirect", c -> c.redirect().stream().map(RedirectRule::toString).collect(Collectors.toList()),
                        "a:1->b:2", "c:3->rediss://u:pw@h:6380/0", "e:5->f:6,g:7->redis://:secret@h2",
                        List.of("a:1->b:2"), List.of("c:3->rediss://u:***@h:6380/0"),
                        List.of("e:5->f:6", "g:7->redis://:***@h2:6379")),
                new Row("journal.max-entries", AgentConfig::journalMaxEntries, "1", "500", "1000000", 1, 500, 1000000),
                new Row("log.summary-interval", AgentConfig::logSummaryIntervalMillis, "1m", "10s", "1h",
                        60000L, 10000L, 3600000L),
                new Row("fallback.lock-idiom", AgentConfig::fallbackLockIdiom, "serve", "fail", "serve",
                        AgentConfig.LockIdiom.SERVE, AgentConfig.LockIdiom.FAIL, AgentConfig.LockIdiom.SERVE));
    }

    static List<String> patterns(List<Glob> globs) {
        return globs.stream().map(Glob::pattern).collect(Collectors.toList());
    }

    @Test
    void everyKeyHasAPrecedenceRow() {
        assertThat(rows().stream().map(Row::key)).containsExactlyElementsOf(AgentConfig.keys());
    }

    static Stream<Row> rowStream() {
        return rows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowStream")
    void precedenceArgOverSyspropOverEnvOverDefault(Row r) throws Exception {
        Map<String, String> env = Map.of(AgentConfig.environmentVariableName(r.key()), r.envV());
        Map<String, String> props = Map.of(AgentConfig.systemPropertyName(r.key()), r.propV());
        String arg = r.key() + "=" + r.argV();

        Object dflt = r.get().apply(AgentConfig.parse(null, null, null));
        assertThat(dflt).isEqualTo(r.get().apply(AgentConfig.defaults()));
        assertThat(r.envE()).as("env value must differ from the default").isNotEqualTo(dflt);
        assertThat(r.get().apply(AgentConfig.parse(null, null, env))).isEqualTo(r.envE());
        assertThat(r.get().apply(AgentConfig.parse(null, props, env))).isEqualTo(r.propE());
        assertThat(r.get().apply(AgentConfig.parse(arg, props, env))).isEqualTo(r.argE());
        assertThat(r.get().apply(AgentConfig.parse(arg, null, env))).isEqualTo(r.argE());
        assertThat(r.get().apply(AgentConfig.parse(arg, null, null))).isEqualTo(r.argE());
        assertThat(r.get().apply(AgentConfig.parse(null, props, null))).isEqualTo(r.propE());
    }

    @Test
    void defaultsMatchTheDesign() {
        AgentConfig c = AgentConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.fallback()).isEqualTo(AgentConfig.Fallback.MEMORY);
        assertThat(c.fallbackMaxEntries()).isEqualTo(100_000);
        assertThat(c.fallbackMaxMemoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.reconcile()).isEqualTo(AgentConfig.Reconcile.REPLAY);
        assertThat(c.forceFallback()).isFalse();
        assertThat(c.lazyConnect()).isTrue();
        assertThat(c.probeIntervalMillis()).isEqualTo(500);
        assertThat(c.connectTimeoutMillis()).isEqualTo(1000);
        assertThat(c.stallTimeoutMillis()).isEqualTo(250);
        assertThat(c.fallbackDenyKeys()).isEmpty();
        assertThat(c.fallbackAllowKeys()).isEmpty();
        assertThat(c.fallbackDenyCommands()).isEmpty();
        assertThat(c.redirect()).isEmpty();
        assertThat(c.journalMaxEntries()).isEqualTo(100_000);
        assertThat(c.logSummaryIntervalMillis()).isEqualTo(300_000);
        assertThat(c.fallbackLockIdiom()).isEqualTo(AgentConfig.LockIdiom.FAIL);
        assertThat(c.describeNonDefaults()).isEmpty();
    }

    /** key, bad value, fragment of the allowed text the message must show. */
    static Stream<Arguments> badValues() {
        List<Arguments> out = new ArrayList<>();
        String bool = "true, false";
        String dur = "a duration from";
        String size = "a size from 1k to 1t";
        for (String v : List.of("yes", "1", "")) {
            out.add(Arguments.of("enabled", v, bool));
            out.add(Arguments.of("force-fallback", v, bool));
            out.add(Arguments.of("lazy-connect", v, bool));
        }
        for (String v : List.of("bogus", "")) {
            out.add(Arguments.of("fallback", v, "memory, none"));
            out.add(Arguments.of("reconcile", v, "replay, invalidate, none"));
            out.add(Arguments.of("fallback.lock-idiom", v, "fail, serve"));
        }
        for (String k : List.of("fallback.max-entries", "journal.max-entries")) {
            for (String v : List.of("0", "-5", "ten", "1e3", "2000000000", "")) {
                out.add(Arguments.of(k, v, "a whole number from 1 to 1000000000"));
            }
        }
        for (String v : List.of("64", "1023", "2t", "64 m", "64mb", "-1m", "1.5g", "")) {
            out.add(Arguments.of("fallback.max-memory", v, size));
        }
        for (String v : List.of("500", "5ms", "2h", "1.5s", "-1s", "1 s", "1d", "")) {
            out.add(Arguments.of("probe-interval", v, dur + " 10ms to 1h"));
        }
        for (String v : List.of("100", "9ms", "11m", "1h", "")) {
            out.add(Arguments.of("connect-timeout", v, dur + " 10ms to 10m"));
            out.add(Arguments.of("stall-timeout", v, dur + " 10ms to 10m"));
        }
        for (String v : List.of("500ms", "999ms", "25h", "5", "")) {
            out.add(Arguments.of("log.summary-interval", v, dur + " 1s to 24h"));
        }
        for (String v : List.of("a[bc", "x\\", "ok*,[")) {
            out.add(Arguments.of("fallback.deny-keys", v, "Redis glob patterns"));
            out.add(Arguments.of("fallback.allow-keys", v, "Redis glob patterns"));
        }
        for (String v : List.of("1flush", "FLUSH ALL", "get;del")) {
            out.add(Arguments.of("fallback.deny-commands", v, "Redis command names"));
        }
        for (String v : List.of("localhost:6379", "a:1->", "->b:2", "a:99999->b:1", "a:1->http://b:2",
                "a:1->b:x", "a:1->u:p@b:2", "a:1->redis://b:2/zero")) {
            out.add(Arguments.of("redirect", v, "FROM->TO"));
        }
        return out.stream();
    }

    @Test
    void everyKeyHasBadValueRows() {
        assertThat(badValues().map(a -> (String) a.get()[0]).distinct()).containsExactlyInAnyOrderElementsOf(AgentConfig.keys());
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueIsOneLineNamingKeyValueAndAllowed(String key, String value, String allowed) {
        // agent argument
        assertOneLine(() -> AgentConfig.parse(key + "=" + value, null, null), key, value, allowed, "agent argument");
        // system property
        assertOneLine(() -> AgentConfig.parse(null, Map.of(AgentConfig.systemPropertyName(key), value), null),
                key, value, allowed, "system property redis.resilience." + key);
        // environment
        assertOneLine(() -> AgentConfig.parse(null, null, Map.of(AgentConfig.environmentVariableName(key), value)),
                key, value, allowed, "environment variable " + AgentConfig.environmentVariableName(key));
    }

    @Test
    void badValueInALowerPrecedenceSourceIsStillAnError() {
        assertThatThrownBy(() -> AgentConfig.parse("fallback=none", null, Map.of("REDIS_RESILIENCE_FALLBACK", "bogus")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bogus");
    }

    interface Parse {
        AgentConfig run() throws ConfigException;
    }

    private static void assertOneLine(Parse p, String key, String value, String allowed, String source) {
        ConfigException e = null;
        try {
            p.run();
        } catch (ConfigException ce) {
            e = ce;
        }
        assertThat(e).as("%s=%s (%s) must be rejected", key, value, source).isNotNull();
        String m = e.getMessage();
        assertThat(m).doesNotContain("\n").doesNotContain("\r")
                .startsWith(key + ": invalid value '"
                        + (key.equals("redirect") ? Redaction.redactSecrets(value.trim()) : value.trim()) + "'")
                .contains(source).contains("allowed: ").contains(allowed);
    }

    @Test
    void unknownKeysAreRejectedInEverySource() {
        assertThatThrownBy(() -> AgentConfig.parse("flalback=none", null, null))
                .hasMessageStartingWith("unknown key 'flalback' (agent argument, value 'none'); allowed keys: enabled, fallback,");
        assertThatThrownBy(() -> AgentConfig.parse(null, Map.of("redis.resilience.nope", "1"), null))
                .hasMessageContaining("unknown key 'redis.resilience.nope'").hasMessageContaining("probe-interval");
        assertThatThrownBy(() -> AgentConfig.parse(null, null, Map.of("REDIS_RESILIENCE_NOPE", "1")))
                .hasMessageContaining("unknown key 'REDIS_RESILIENCE_NOPE'");
        assertThatThrownBy(() -> AgentConfig.parse("justtext", null, null))
                .hasMessageContaining("'justtext' is not key=value");
        assertThatThrownBy(() -> AgentConfig.parse("fallback=none,fallback=memory", null, null))
                .hasMessageContaining("fallback: given twice");
    }

    @Test
    void unrelatedPropertiesAndVariablesAreIgnored() throws Exception {
        AgentConfig c = AgentConfig.parse(null, Map.of("redis.host", "x", "java.version", "17"),
                Map.of("REDIS_URL", "redis://u:p@h", "PATH", "/bin"));
        assertThat(c.describeNonDefaults()).isEmpty();
    }

    @Test
    void environmentNamesAreDistinctAndWellFormed() {
        assertThat(AgentConfig.keys().stream().map(AgentConfig::environmentVariableName).distinct())
                .hasSameSizeAs(AgentConfig.keys())
                .allMatch(n -> n.matches("REDIS_RESILIENCE_[A-Z_]+"));
        assertThat(AgentConfig.environmentVariableName("fallback.max-memory")).isEqualTo("REDIS_RESILIENCE_FALLBACK_MAX_MEMORY");
        assertThat(AgentConfig.systemPropertyName("force-fallback")).isEqualTo("redis.resilience.force-fallback");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redirect=a:1->redis://u:hunter2@h:1/x",
        "redirect=a:1->rediss//u:hunter2@h",
        "redirect=a:1->redis://hunter2@h:99999",
        "enabled=true,redis://u:hunter2@h",
        "redis.password=hunter2",
        "password=redis://u:hunter2@h"})
    void passwordsNeverReachTheMessage(String arg) {
        assertThatThrownBy(() -> AgentConfig.parse(arg, null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void passwordsNeverReachTheMessageFromSyspropOrEnv() {
        assertThatThrownBy(() -> AgentConfig.parse(null, Map.of("redis.resilience.redirect", "a:1->redis://u:hunter2@h:0"), null))
                .satisfies(e -> assertThat(e.getMessage()).contains("redirect").doesNotContain("hunter2"));
        assertThatThrownBy(() -> AgentConfig.parse(null, null, Map.of("REDIS_RESILIENCE_PASSWORD", "hunter2")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void redirectValuesContinueAcrossCommas() throws Exception {
        AgentConfig c = AgentConfig.parse("redirect=a:1->b:2,c:3->rediss://u:p@h:6380/0", null, null);
        assertThat(c.redirect()).hasSize(2);
        RedirectRule second = c.redirect().get(1);
        assertThat(second.fromHost()).isEqualTo("c");
        assertThat(second.fromPort()).isEqualTo(3);
        assertThat(second.toHost()).isEqualTo("h");
        assertThat(second.toPort()).isEqualTo(6380);
        assertThat(second.tls()).isTrue();
        assertThat(second.username()).isEqualTo("u");
        assertThat(second.password()).isEqualTo("p");
        assertThat(second.database()).isEqualTo(0);
        assertThat(second.matches("C", 3)).isTrue();
        assertThat(second.matches("c", 4)).isFalse();

        // a known key after redirect starts a new pair; an unknown "key" (a password with '=') continues it
        c = AgentConfig.parse("redirect=a:1->b:2,fallback=none,probe-interval=1s", null, null);
        assertThat(c.redirect()).hasSize(1);
        assertThat(c.fallback()).isEqualTo(AgentConfig.Fallback.NONE);
        c = AgentConfig.parse("fallback=none,redirect=a:1->b:2,c:3->redis://u:p=w@h,enabled=true", null, null);
        assertThat(c.redirect()).hasSize(2);
        assertThat(c.redirect().get(1).password()).isEqualTo("p=w");
        assertThat(c.describeNonDefaults()).isEqualTo("fallback=none, redirect=a:1->b:2,c:3->redis://u:***@h");

        RedirectRule v6 = RedirectRule.parse("[::1]:7000->redis://[fe80::1]:7001");
        assertThat(v6.fromHost()).isEqualTo("::1");
        assertThat(v6.toHost()).isEqualTo("fe80::1");
        assertThat(v6.toString()).isEqualTo("[::1]:7000->[fe80::1]:7001");
        assertThat(RedirectRule.parse("h->redis://secret@x").toString()).isEqualTo("h:6379->redis://:***@x:6379");
    }

    @Test
    void listValuesContinueAcrossCommasAndHonourEscapes() throws Exception {
        AgentConfig c = AgentConfig.parse("fallback.deny-keys=a*,b*,fallback=none,fallback.deny-commands=eval,flushall", null, null);
        assertThat(patterns(c.fallbackDenyKeys())).containsExactly("a*", "b*");
        assertThat(c.fallback()).isEqualTo(AgentConfig.Fallback.NONE);
        assertThat(c.fallbackDenyCommands()).containsExactly("EVAL", "FLUSHALL");
        c = AgentConfig.parse("fallback.allow-keys=x\\,y", null, null);
        assertThat(c.fallbackAllowKeys()).hasSize(1);
        assertThat(c.fallbackAllowKeys().get(0).matches("x,y")).isTrue();
        assertThat(AgentConfig.parse(" fallback = none , ", null, null).fallback()).isEqualTo(AgentConfig.Fallback.NONE);
    }

    @Test
    void durationsAndSizesParse() throws Exception {
        Map<String, Long> durations = new LinkedHashMap<>();
        durations.put("500ms", 500L);
        durations.put("2s", 2000L);
        durations.put("1m", 60_000L);
        durations.put("1h", 3_600_000L);
        durations.put("10MS", 10L);
        durations.put(" 3S ", 3000L);
        for (Map.Entry<String, Long> e : durations.entrySet()) {
            assertThat(AgentConfig.parse("probe-interval=" + e.getKey(), null, null).probeIntervalMillis())
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
        Map<String, Long> sizes = new HashMap<>();
        sizes.put("64m", 64L << 20);
        sizes.put("1g", 1L << 30);
        sizes.put("512k", 512L << 10);
        sizes.put("1024", 1024L);
        sizes.put("1T", 1L << 40);
        sizes.put("3M", 3L << 20);
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            assertThat(AgentConfig.parse(null, null, Map.of("REDIS_RESILIENCE_FALLBACK_MAX_MEMORY", e.getKey()))
                    .fallbackMaxMemoryBytes()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void snapshotIsImmutableAndRuntimeTogglesMakeCopies() throws Exception {
        AgentConfig c = AgentConfig.parse("fallback.deny-keys=a*", null, null);
        assertThatThrownBy(() -> c.fallbackDenyKeys().add(Glob.compile("b")))
                .isInstanceOf(UnsupportedOperationException.class);
        AgentConfig drill = c.withForceFallback(true);
        assertThat(c.forceFallback()).isFalse();
        assertThat(drill.forceFallback()).isTrue();
        assertThat(drill.describeNonDefaults()).isEqualTo("force-fallback=true, fallback.deny-keys=a*");
        assertThat(drill.withForceFallback(false).describeNonDefaults()).isEqualTo("fallback.deny-keys=a*");
        assertThat(c.withFallback(AgentConfig.Fallback.NONE).fallback()).isEqualTo(AgentConfig.Fallback.NONE);

        AgentConfig before = AgentConfig.current();
        try {
            AgentConfig.publish(drill);
            assertThat(AgentConfig.current()).isSameAs(drill);
        } finally {
            AgentConfig.publish(before);
        }
    }

    @Test
    void describeNonDefaultsListsOnlyChangedValuesInKeyOrder() throws Exception {
        AgentConfig c = AgentConfig.parse("probe-interval=500ms,fallback=none", Map.of("redis.resilience.stall-timeout", "1s"), null);
        assertThat(c.describeNonDefaults()).isEqualTo("fallback=none, stall-timeout=1s");
        assertThat(c.toString()).isEqualTo("AgentConfig[fallback=none, stall-timeout=1s]");
    }
}
