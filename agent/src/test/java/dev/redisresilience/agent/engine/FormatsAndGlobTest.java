package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.command.Glob;
import dev.redisresilience.agent.engine.resp.DoubleFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FormatsAndGlobTest extends EngineTestSupport {

    static boolean glob(String p, String s) {
        return Glob.match(p.getBytes(StandardCharsets.UTF_8), s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void globMatchesLikeRedisStringmatchlen() {
        assertThat(glob("*", "")).isFalse(); // as in Redis: the loop never runs on an empty string
        assertThat(glob("h?llo", "hello")).isTrue();
        assertThat(glob("h?llo", "hllo")).isFalse();
        assertThat(glob("h*llo", "heeeello")).isTrue();
        assertThat(glob("h[ae]llo", "hallo")).isTrue();
        assertThat(glob("h[ae]llo", "hillo")).isFalse();
        assertThat(glob("h[^e]llo", "hallo")).isTrue();
        assertThat(glob("h[^e]llo", "hello")).isFalse();
        assertThat(glob("h[a-c]llo", "hbllo")).isTrue();
        assertThat(glob("h[c-a]llo", "hbllo")).isTrue();
        assertThat(glob("h\\*llo", "h*llo")).isTrue();
        assertThat(glob("h\\*llo", "hello")).isFalse();
        assertThat(glob("*a", "bbb")).isFalse();
        assertThat(glob("a*", "a")).isTrue();
        assertThat(glob("[", "a")).isFalse();
        assertThat(glob("a\\", "a\\")).isTrue();
        assertThat(glob("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).isFalse();
    }

    @Test
    void doublesFormatLikeRedis70() {
        assertThat(DoubleFormat.g17(1.5)).isEqualTo("1.5");
        assertThat(DoubleFormat.g17(3)).isEqualTo("3");
        assertThat(DoubleFormat.g17(0.1)).isEqualTo("0.10000000000000001");
        assertThat(DoubleFormat.g17(1e20)).isEqualTo("1e+20");
        assertThat(DoubleFormat.g17(1e-5)).isEqualTo("1.0000000000000001e-05");
        assertThat(DoubleFormat.g17(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(DoubleFormat.g17(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(DoubleFormat.g17(-0.5)).isEqualTo("-0.5");
        assertThat(DoubleFormat.g17(123456789.123)).isEqualTo("123456789.123");
    }

    @Test
    void incrbyfloatUsesLongDoublePrecision() {
        run("SET", "f", "10.5");
        assertThat(run("INCRBYFLOAT", "f", "0.1")).isEqualTo("$4|10.6|");
        run("SET", "g", "12345.6789");
        assertThat(run("INCRBYFLOAT", "g", "0.0001")).isEqualTo("$23|12345.67899999999999938|");
        run("SET", "h", "5.0e3");
        assertThat(run("INCRBYFLOAT", "h", "2.0e2")).isEqualTo("$4|5200|");
        assertThat(run("INCRBYFLOAT", "h", "abc")).isEqualTo("-ERR value is not a valid float|");
    }
}
