package dev.redisresilience.agent.engine.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.testkit.RedisServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The differential oracle (issue 3 item 8): seeded random command sequences run against a real redis-server
 * and against the {@code FallbackEngine}, every reply compared, in RESP2 and in RESP3.
 *
 * <p>System properties: {@code oracle.seed} (one seed or a comma list; default: a fixed seed plus one derived
 * from today's date, so runs explore), {@code oracle.commands} (per seed and protocol; default 20000),
 * {@code oracle.exclude} (comma list of command families to leave out, e.g. {@code SPOP,ZADD}, to look past
 * a known bug), {@code oracle.noHexFloats=true} (no "0x10"-style floats, which Redis 7 accepts). A failure lists the seed, the index and the full differing command with both replies, for
 * the first mismatch and for each further distinct one (after a mismatch both sides are reset and the run goes on).
 */
class DifferentialOracleTest {
    static final long FIXED_SEED = 20261128L;
    static RedisServer server;

    @BeforeAll
    static void startRedis() {
        // hz 100: blocked clients time out within ~10 ms, keeping the BLPOP/BRPOP/BLMOVE timeouts cheap
        server = RedisServer.builder().args("--hz", "100").start();
        System.out.println("[oracle] redis-server " + server.version() + " (" + server.binary() + ")");
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) server.close();
    }

    static List<Long> seeds() {
        String p = System.getProperty("oracle.seed");
        if (p != null && !p.isBlank()) {
            List<Long> r = new ArrayList<>();
            for (String s : p.split(",")) r.add(Long.parseLong(s.trim()));
            return r;
        }
        long daily = LocalDate.now(ZoneOffset.UTC).toEpochDay() * 0x9E3779B97F4A7C15L + 17;
        return List.of(FIXED_SEED, daily);
    }

    static int commands() {
        return Integer.getInteger("oracle.commands", 20_000);
    }

    static Set<String> userExcluded() {
        Set<String> r = new TreeSet<>();
        String p = System.getProperty("oracle.exclude", "");
        for (String s : p.split(",")) if (!s.isBlank()) r.add(s.trim().toUpperCase(Locale.ROOT));
        return r;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void resp2() {
        runAll(2);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void resp3() {
        runAll(3);
    }

    private void runAll(int protocol) {
        StringBuilder failures = new StringBuilder();
        Set<String> excludedLogged = new LinkedHashSet<>();
        for (long seed : seeds()) {
            long t0 = System.nanoTime();
            try (OracleRun run = new OracleRun(server, Side.engine(), seed, protocol, commands(), userExcluded())) {
                excludedLogged.addAll(run.gen.excluded());
                run.run();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("[oracle] " + run.label() + ": " + commands() + " commands in " + ms + " ms, "
                        + run.mismatchCount + " mismatches; " + run.unspecifiedBylex + " BYLEX replies on mixed scores not compared; redis answered " + run.errorReplies + "/" + run.replies + " with an error; per family: " + run.executed());
                if (run.mismatchCount > 0) {
                    failures.append("\n==== ").append(run.label()).append(": ").append(run.mismatchCount)
                            .append(" mismatching replies, ").append(run.reports.size())
                            .append(" distinct (command, reply shape) shown; the FIRST is the one to reproduce ====\n");
                    for (String r : run.reports) failures.append(r).append('\n');
                }
            }
        }
        System.out.println("[oracle] excluded for redis-server " + server.version() + " / by oracle.exclude: " + excludedLogged);
        if (OracleRun.lenientErrorText) {
            System.out.println("[oracle] redis-server " + server.version() + " is older than 7.0, the version the engine follows:"
                    + " error replies compared by kind only (not text), and 6.2-only behaviours left out of the mix");
        }
        assertThat(failures.length() == 0)
                .withFailMessage("engine differs from redis-server %s (excluded: %s):%s", server.version(), excludedLogged, failures)
                .isTrue();
    }

    /** The generator covers every family of issue 3 item 3 (unless too new for the local server). */
    @Test
    void everyCommandFamilyIsInTheMix() {
        CommandGenerator g = new CommandGenerator(1, server.versionNumbers(), Set.of());
        Set<String> seen = new TreeSet<>();
        for (int j = 0; j < 200_000; j++) {
            OracleCommand c = g.next();
            seen.add(c.name());
        }
        List<String> required = Arrays.asList("PING", "ECHO", "SELECT", "CLIENT", "RESET", "HELLO",
                "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "MGET", "MSET", "MSETNX", "INCR",
                "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "APPEND", "STRLEN", "GETRANGE", "SETRANGE",
                "DEL", "UNLINK", "EXISTS", "TOUCH", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL",
                "PERSIST", "TYPE", "RENAME", "RENAMENX", "KEYS", "SCAN", "DBSIZE", "FLUSHDB", "FLUSHALL",
                "HSET", "HSETNX", "HGET", "HMGET", "HMSET", "HGETALL", "HDEL", "HEXISTS", "HINCRBY", "HINCRBYFLOAT",
                "HKEYS", "HVALS", "HLEN", "HSTRLEN", "HSCAN",
                "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LRANGE", "LLEN", "LINDEX", "LSET", "LREM", "LTRIM",
                "LINSERT", "LPOS", "LMOVE", "RPOPLPUSH", "BLPOP", "BRPOP", "BLMOVE",
                "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER", "SINTER", "SUNION",
                "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "SSCAN",
                "ZADD", "ZSCORE", "ZMSCORE", "ZINCRBY", "ZRANGE", "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE",
                "ZRANK", "ZREVRANK", "ZREM", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZCARD", "ZCOUNT", "ZPOPMIN",
                "ZPOPMAX", "ZSCAN", "MULTI", "EXEC", "DISCARD");
        List<String> expected = new ArrayList<>(required);
        if (server.atLeast(7, 0)) expected.addAll(List.of("EXPIRETIME", "PEXPIRETIME"));
        assertThat(seen).containsAll(expected);
    }
}
