package dev.redisresilience.agent.engine.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short expiries, deterministic: keys of every type get a ~200 ms expiry (several ways) on both sides, the test
 * sleeps well past it and then compares what both sides answer about them.
 */
class ShortExpiryOracleTest {
    static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.builder().args("--hz", "100").start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void expiredKeysAreGoneOnBothSides(int protocol) throws Exception {
        Side[] sides = Side.engine().open("short-expiry-" + protocol);
        try (RespClient redis = server.client()) {
            assertThat(run(redis, sides[0], protocol)).isEmpty();
        }
    }

    /** The scenario; returns the differences found (empty = both sides agree). */
    static List<String> run(RespClient redis, Side side, int protocol) throws InterruptedException {
        redis.call("FLUSHALL");
        side.call(RespClient.toBytes("FLUSHALL"));
        if (protocol == 3) {
            redis.call("HELLO", "3");
            side.protocol(3);
        }
        List<String> diffs = new ArrayList<>();
        long pxat = System.currentTimeMillis() + 200;
        String[][] setup = {
            {"SET", "s1", "v", "PX", "200"},
            {"SET", "s2", "v", "PXAT", String.valueOf(pxat)},
            {"PSETEX", "s3", "200", "v"},
            {"SET", "s4", "10"}, {"PEXPIRE", "s4", "200"},
            {"SET", "s5", "v"}, {"GETEX", "s5", "PX", "200"},
            {"HSET", "h", "f", "v"}, {"PEXPIRE", "h", "200"},
            {"RPUSH", "l", "a", "b"}, {"PEXPIRE", "l", "200"},
            {"SADD", "st", "a", "b"}, {"PEXPIRE", "st", "200"},
            {"ZADD", "z", "1", "a"}, {"PEXPIRE", "z", "200"},
            {"SET", "keep", "v", "PX", "200"}, {"PERSIST", "keep"},
            {"SET", "long", "v", "EX", "1000"},
            {"SET", "gone-later", "v", "PX", "200"}, {"SET", "gone-later", "v2", "KEEPTTL"},
            {"EXISTS", "s1", "s2", "s3", "s4", "s5", "h", "l", "st", "z", "keep", "long"},
            {"DBSIZE"},
        };
        for (String[] c : setup) compare(redis, side, c, diffs);
        Thread.sleep(600);
        String[][] after = {
            {"GET", "s1"}, {"GET", "s2"}, {"GET", "s3"}, {"GET", "s5"}, {"TTL", "s1"}, {"PTTL", "s2"},
            {"EXISTS", "s1", "s2", "s3", "s4", "s5", "h", "l", "st", "z", "keep", "long", "gone-later"},
            {"TYPE", "h"}, {"TYPE", "l"}, {"HGETALL", "h"}, {"LRANGE", "l", "0", "-1"}, {"SCARD", "st"},
            {"ZCARD", "z"}, {"GET", "keep"}, {"TTL", "keep"}, {"GET", "gone-later"},
            {"DBSIZE"}, {"KEYS", "*"}, {"SCAN", "0", "COUNT", "100"},
            {"INCR", "s4"}, {"LPUSH", "l", "x"}, {"LRANGE", "l", "0", "-1"}, {"TTL", "l"},
            {"SADD", "st", "c"}, {"SMEMBERS", "st"}, {"SETNX", "s1", "new"}, {"GET", "s1"},
            {"RENAME", "h", "h2"}, {"DBSIZE"},
        };
        for (String[] c : after) compare(redis, side, c, diffs);
        return diffs;
    }

    private static void compare(RespClient redis, Side side, String[] argv, List<String> diffs) {
        byte[] r = redis.callRaw(argv);
        byte[] e = side.call(RespClient.toBytes(argv));
        OracleCommand.Kind kind = switch (argv[0]) {
            case "KEYS", "SMEMBERS" -> OracleCommand.Kind.UNORDERED;
            case "TTL" -> OracleCommand.Kind.TTL_SECONDS;
            case "PTTL" -> OracleCommand.Kind.TTL_MILLIS;
            default -> OracleCommand.Kind.EXACT;
        };
        String d = OracleRun.diff(kind, r, e);
        if (argv[0].equals("SCAN") && d != null) {
            // cursor may differ; the key list (all keys fit in one COUNT 100 call) must match as a set
            Object pr = RespReader.text(RespReader.parse(r));
            Object pe = RespReader.text(RespReader.parse(e));
            if (pr instanceof List && pe instanceof List && ((List<?>) pr).size() == 2 && ((List<?>) pe).size() == 2
                    && OracleRun.canonical(((List<?>) pr).get(1), false).equals(OracleRun.canonical(((List<?>) pe).get(1), false))
                    && "0".equals(((List<?>) pe).get(0))) {
                d = null;
            }
        }
        if (d != null) {
            diffs.add(String.join(" ", argv) + ": " + d + "\n   redis : " + RespReader.printable(r) + "\n   engine: " + RespReader.printable(e));
        }
    }
}
