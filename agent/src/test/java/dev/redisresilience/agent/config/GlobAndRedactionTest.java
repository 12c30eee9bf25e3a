package dev.redisresilience.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobAndRedactionTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "user:*|user:42|true",
        "user:*|users:42|false",
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true",
        "h[b-a]llo|hallo|true",
        "h[a-b]llo|hcllo|false",
        "a\\*b|a*b|true",
        "a\\*b|axb|false",
        "a[\\]]b|a]b|true",
        "*:*:end|x:y:z:end|true",
        "*a*b*c|xxaxxbxxc|true",
        "*a*b*c|xxaxxcxxb|false",
        "a**|a|true",
    })
    void matchesLikeRedis(String pattern, String key, boolean expected) {
        assertThat(Glob.compile(pattern).matches(key)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a[bc", "[", "x\\", "a[\\]", "[^"})
    void malformedGlobsAreRejected(String pattern) {
        assertThatThrownBy(() -> Glob.compile(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "redis://user:pass@host:6379/0|redis://user:***@host:6379/0",
        "rediss://:pass@host|rediss://:***@host",
        "redis://pass@host|redis://***@host",
        "redis://host:6379|redis://host:6379",
        "connect to redis://u:p@h failed; retry rediss://:q@k|connect to redis://u:***@h failed; retry rediss://:***@k",
        "a->redis://u:p@h,b->rediss://:q@k|a->redis://u:***@h,b->rediss://:***@k",
        "redis://u:p@ss@host|redis://u:***@host",
        "redis://user:@host|redis://user:@host",
    })
    void urlsLoseTheirPasswords(String in, String out) {
        assertThat(Redaction.redactUrls(in)).isEqualTo(out);
        assertThat(Redaction.redactSecrets(in)).isEqualTo(out);
    }

    @Test
    void malformedUrlsLoseTheirPasswordsToo() {
        assertThat(Redaction.redactSecrets("a:1->rediss//u:hunter2@h")).isEqualTo("a:1->rediss//u:***@h");
        assertThat(Redaction.redactSecrets("u:hunter2@h")).isEqualTo("u:***@h");
        assertThat(Redaction.redactUrls(null)).isNull();
    }

    @Test
    void authArgumentsAreMasked() {
        assertThat(Redaction.redactArgv("AUTH", "secret")).containsExactly("AUTH", "***");
        assertThat(Redaction.redactArgv("auth", "user", "secret")).containsExactly("auth", "user", "***");
        assertThat(Redaction.redactArgv("HELLO", "3", "AUTH", "user", "secret", "SETNAME", "x"))
                .containsExactly("HELLO", "3", "AUTH", "user", "***", "SETNAME", "x");
        assertThat(Redaction.redactArgv("MIGRATE", "h", "1", "k", "0", "10", "AUTH", "secret"))
                .endsWith("AUTH", "***");
        assertThat(Redaction.redactArgv("MIGRATE", "h", "1", "k", "0", "10", "AUTH2", "u", "secret"))
                .endsWith("AUTH2", "u", "***");
        assertThat(Redaction.redactArgv("CONFIG", "SET", "requirepass", "secret"))
                .containsExactly("CONFIG", "SET", "requirepass", "***");
        assertThat(Redaction.redactArgv("ACL", "SETUSER", "bob", "on", ">secret"))
                .containsExactly("ACL", "SETUSER", "bob", "on", ">***");
        assertThat(Redaction.redactArgv("SET", "k", "redis://u:p@h")).containsExactly("SET", "k", "redis://u:***@h");
        assertThat(Redaction.redactArgv("GET", "k")).containsExactly("GET", "k");
    }
}
