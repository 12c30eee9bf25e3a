package dev.redisresilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RespClientTest {
    static RedisServer redis;

    @BeforeAll
    static void up() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void down() {
        redis.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void resp2Values() {
        try (RespClient c = redis.client()) {
            c.call("FLUSHALL");
            assertThat(c.call("SET", "s", "v")).isEqualTo("OK");
            assertThat((byte[]) c.call("GET", "s")).isEqualTo(b("v"));
            assertThat(c.call("GET", "missing")).isNull();
            assertThat(c.call("INCR", "n")).isEqualTo(1L);
            assertThat(c.call("LPUSH", "s", "x")).isEqualTo(new RespError(
                    "WRONGTYPE Operation against a key holding the wrong kind of value"));
            assertThat(c.callRaw("GET", "s")).isEqualTo(b("$1\r\nv\r\n"));
            assertThat(c.callRaw("GET", "missing")).isEqualTo(b("$-1\r\n"));
            c.call("RPUSH", "l", "a", "b");
            assertThat(c.callText("LRANGE", "l", "0", "-1")).isEqualTo(List.of("a", "b"));
            assertThat(c.callRaw("LRANGE", "l", "0", "-1")).isEqualTo(b("*2\r\n$1\r\na\r\n$1\r\nb\r\n"));
            byte[] bin = {0, (byte) 0xff, '\r', '\n'};
            c.call(b("SET"), b("bin"), bin);
            assertThat((byte[]) c.call(b("GET"), b("bin"))).isEqualTo(bin);
        }
    }

    @Test
    void resp3Values() {
        try (RespClient c = redis.client()) {
            Object hello = c.callText("HELLO", "3");
            assertThat(hello).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) hello).get("proto")).isEqualTo(3L);
            c.call("DEL", "h", "z", "st");
            c.call("HSET", "h", "f", "v");
            assertThat(c.callText("HGETALL", "h")).isEqualTo(Map.of("f", "v"));
            c.call("ZADD", "z", "1.5", "m");
            assertThat(c.call("ZSCORE", "z", "m")).isEqualTo(1.5d);
            assertThat(c.callRaw("ZSCORE", "z", "m")).isEqualTo(b(",1.5\r\n"));
            assertThat(c.call("GET", "missing")).isNull();
            assertThat(c.callRaw("GET", "missing")).isEqualTo(b("_\r\n"));
            c.call("SADD", "st", "a");
            assertThat(c.callText("SMEMBERS", "st")).isEqualTo(new RespReader.RespSet(List.of("a")));
            assertThat(c.call("SMEMBERS", "st")).isInstanceOf(RespReader.RespSet.class);
        }
    }

    @Test
    void parsesBytesProducedElsewhere() {
        assertThat(RespReader.parse(b("#t\r\n"))).isEqualTo(true);
        assertThat(RespReader.parse(b(",inf\r\n"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(RespReader.parse(b("(12345678901234567890\r\n"))).isEqualTo(new java.math.BigInteger("12345678901234567890"));
        assertThat(RespReader.text(RespReader.parse(b("=8\r\ntxt:abcd\r\n")))).isEqualTo("abcd");
        assertThat(RespReader.parse(b("!5\r\nERR x\r\n"))).isEqualTo(new RespError("ERR x"));
        assertThat(RespReader.parse(b("*-1\r\n"))).isNull();
        assertThat(RespReader.text(RespReader.parse(b("|1\r\n+a\r\n+b\r\n:7\r\n")))).isEqualTo(7L);
        assertThat(RespReader.text(RespReader.parse(b("%1\r\n$1\r\nk\r\n*2\r\n:1\r\n_\r\n"))))
                .isEqualTo(Map.of("k", java.util.Arrays.asList(1L, null)));
        assertThatThrownBy(() -> RespReader.parse(b("+OK\r\n+OK\r\n"))).hasMessageContaining("trailing");
        assertThatThrownBy(() -> RespReader.parse(b("$5\r\nab"))).hasMessageContaining("incomplete");
    }
}
