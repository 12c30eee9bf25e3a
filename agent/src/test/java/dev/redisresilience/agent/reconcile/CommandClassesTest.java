package dev.redisresilience.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CommandClassesTest {
    static byte[][] a(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static String s(byte[][] argv) {
        if (argv == null) {
            return null;
        }
        String[] out = new String[argv.length];
        for (int i = 0; i < argv.length; i++) {
            out[i] = new String(argv[i], StandardCharsets.UTF_8);
        }
        return String.join(" ", Arrays.asList(out));
    }

    @Test
    void idempotency() {
        assertThat(CommandClasses.isIdempotent(a("set", "k", "v"))).isTrue();
        assertThat(CommandClasses.isIdempotent(a("HSET", "h", "f", "v"))).isTrue();
        assertThat(CommandClasses.isIdempotent(a("DEL", "k"))).isTrue();
        assertThat(CommandClasses.isIdempotent(a("SADD", "s", "m"))).isTrue();
        assertThat(CommandClasses.isIdempotent(a("ZADD", "z", "1", "m"))).isTrue();
        assertThat(CommandClasses.isIdempotent(a("ZADD", "z", "INCR", "1", "m"))).isFalse();
        assertThat(CommandClasses.isIdempotent(a("INCR", "k"))).isFalse();
        assertThat(CommandClasses.isIdempotent(a("INCRBY", "k", "3"))).isFalse();
        assertThat(CommandClasses.isIdempotent(a("LPUSH", "l", "x"))).isFalse();
        assertThat(CommandClasses.isIdempotent(a("APPEND", "k", "x"))).isFalse();
        assertThat(CommandClasses.isIdempotent(a("SOMEFUTURECMD", "k"))).isFalse();
    }

    @Test
    void relativeExpiriesBecomeAbsolute() {
        long now = 1_000_000L;
        assertThat(s(CommandClasses.absolutize(a("SET", "k", "v", "EX", "60"), now))).isEqualTo("SET k v PXAT 1060000");
        assertThat(s(CommandClasses.absolutize(a("SET", "k", "v", "NX", "px", "500"), now))).isEqualTo("SET k v NX PXAT 1000500");
        assertThat(s(CommandClasses.absolutize(a("SETEX", "k", "10", "v"), now))).isEqualTo("SET k v PXAT 1010000");
        assertThat(s(CommandClasses.absolutize(a("PSETEX", "k", "10", "v"), now))).isEqualTo("SET k v PXAT 1000010");
        assertThat(s(CommandClasses.absolutize(a("EXPIRE", "k", "5"), now))).isEqualTo("PEXPIREAT k 1005000");
        assertThat(s(CommandClasses.absolutize(a("PEXPIRE", "k", "5", "NX"), now))).isEqualTo("PEXPIREAT k 1000005 NX");
        assertThat(s(CommandClasses.absolutize(a("GETEX", "k", "EX", "1"), now))).isEqualTo("GETEX k PXAT 1001000");
        byte[][] untouched = a("SET", "k", "v", "PXAT", "5");
        assertThat(CommandClasses.absolutize(untouched, now)).isSameAs(untouched);
        // a value that happens to be "EX" is not an option
        assertThat(s(CommandClasses.absolutize(a("SET", "k", "EX"), now))).isEqualTo("SET k EX");
    }

    @Test
    void expiredAbsoluteWritesBecomeDel() {
        long now = 2_000L;
        assertThat(s(CommandClasses.expiredReplacement(a("SET", "k", "v", "PXAT", "1999"), now))).isEqualTo("DEL k");
        assertThat(s(CommandClasses.expiredReplacement(a("SET", "k", "v", "EXAT", "1"), now))).isEqualTo("DEL k");
        assertThat(CommandClasses.expiredReplacement(a("SET", "k", "v", "PXAT", "2001"), now)).isNull();
        assertThat(s(CommandClasses.expiredReplacement(a("PEXPIREAT", "k", "10"), now))).isEqualTo("DEL k");
        assertThat(CommandClasses.expiredReplacement(a("PEXPIREAT", "k", "10", "NX"), now)).isNull();
        assertThat(CommandClasses.expiredReplacement(a("SET", "k", "v", "NX", "PXAT", "10"), now)).isNull();
        assertThat(CommandClasses.expiredReplacement(a("SET", "k", "v"), now)).isNull();
    }

    @Test
    void blocking() {
        assertThat(CommandClasses.isBlocking("blpop".getBytes())).isTrue();
        assertThat(CommandClasses.isBlocking("XREAD".getBytes())).isTrue();
        assertThat(CommandClasses.isBlocking("GET".getBytes())).isFalse();
        assertThat(CommandClasses.isBlocking("BITCOUNT".getBytes())).isFalse();
    }
}
