package dev.redisresilience.agent.policy;

import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.engine.command.Command;
import dev.redisresilience.agent.engine.command.CommandTable;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class CommandKeysTest {

    static byte[][] a(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static List<String> keys(String... argv) {
        List<byte[]> k = CommandKeys.keys(a(argv));
        if (k == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (byte[] b : k) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void keylessCommands() {
        assertThat(keys("PING")).isEmpty();
        assertThat(keys("select", "3")).isEmpty();
        assertThat(keys("KEYS", "lock:*")).isEmpty();
        assertThat(keys("SCAN", "0", "MATCH", "lock:*")).isEmpty();
        assertThat(keys("MULTI")).isEmpty();
        assertThat(keys("EXEC")).isEmpty();
        assertThat(keys("HELLO", "3", "AUTH", "u", "p")).isEmpty();
        assertThat(keys("CLIENT", "SETNAME", "lock:job")).isEmpty();
    }

    @Test
    void firstKeyOnly() {
        assertThat(keys("SET", "lock:job", "id", "NX", "PX", "30000")).containsExactly("lock:job");
        assertThat(keys("set", "k", "v")).containsExactly("k");
        assertThat(keys("HSET", "h", "f", "v", "f2", "v2")).containsExactly("h");
        assertThat(keys("ZADD", "z", "1", "m")).containsExactly("z");
        assertThat(keys("EXPIRE", "k", "10")).containsExactly("k");
        assertThat(keys("LPUSH", "q", "a", "b")).containsExactly("q");
        assertThat(keys("GET")).isEmpty(); // malformed: the engine answers the arity error
    }

    @Test
    void everyArgumentIsAKey() {
        assertThat(keys("DEL", "k1", "k2")).containsExactly("k1", "k2");
        assertThat(keys("UNLINK", "a", "b", "c")).containsExactly("a", "b", "c");
        assertThat(keys("EXISTS", "a", "a")).containsExactly("a", "a");
        assertThat(keys("MGET", "a", "b")).containsExactly("a", "b");
        assertThat(keys("WATCH", "lock:job")).containsExactly("lock:job");
        assertThat(keys("SINTERSTORE", "dst", "k1", "k2")).containsExactly("dst", "k1", "k2");
        assertThat(keys("SUNION", "k1", "k2")).containsExactly("k1", "k2");
    }

    @Test
    void blockingPopsEndWithATimeout() {
        assertThat(keys("BLPOP", "k1", "k2", "0")).containsExactly("k1", "k2");
        assertThat(keys("BRPOP", "k1", "1.5")).containsExactly("k1");
        assertThat(keys("BZPOPMIN", "z1", "z2", "0")).containsExactly("z1", "z2");
    }

    @Test
    void sourceAndDestination() {
        assertThat(keys("LMOVE", "src", "dst", "LEFT", "RIGHT")).containsExactly("src", "dst");
        assertThat(keys("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")).containsExactly("src", "dst");
        assertThat(keys("RPOPLPUSH", "src", "dst")).containsExactly("src", "dst");
        assertThat(keys("BRPOPLPUSH", "src", "dst", "0")).containsExactly("src", "dst");
        assertThat(keys("RENAME", "old", "new")).containsExactly("old", "new");
        assertThat(keys("RENAMENX", "old", "new")).containsExactly("old", "new");
        assertThat(keys("SMOVE", "s1", "s2", "m")).containsExactly("s1", "s2");
    }

    @Test
    void keyValuePairs() {
        assertThat(keys("MSET", "k1", "v1", "k2", "v2")).containsExactly("k1", "k2");
        assertThat(keys("MSETNX", "k1", "v1", "k2", "v2")).containsExactly("k1", "k2");
        assertThat(keys("MSET", "k1", "v1", "k2")).containsExactly("k1", "k2"); // malformed: still every key
    }

    @Test
    void numkeysForms() {
        assertThat(keys("ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "1", "2")).containsExactly("dst", "z1", "z2");
        assertThat(keys("ZINTERSTORE", "dst", "1", "z1", "AGGREGATE", "MAX")).containsExactly("dst", "z1");
        assertThat(keys("ZUNION", "2", "z1", "z2", "WITHSCORES")).containsExactly("z1", "z2");
        assertThat(keys("SINTERCARD", "2", "s1", "s2", "LIMIT", "5")).containsExactly("s1", "s2");
        assertThat(keys("LMPOP", "2", "l1", "l2", "LEFT")).containsExactly("l1", "l2");
        assertThat(keys("BLMPOP", "0", "2", "l1", "l2", "LEFT")).containsExactly("l1", "l2");
        assertThat(keys("EVAL", "return 1", "2", "lock:a", "lock:b", "arg")).containsExactly("lock:a", "lock:b");
        assertThat(keys("EVALSHA", "abc", "0", "arg")).isEmpty();
        assertThat(keys("ZUNIONSTORE", "dst", "x", "z1")).containsExactly("dst"); // bad numkeys
        assertThat(keys("ZUNION", "99", "z1")).containsExactly("z1");             // numkeys beyond argv
    }

    @Test
    void everyKeyAndUnknown() {
        assertThat(CommandKeys.touchesEveryKey("FLUSHALL")).isTrue();
        assertThat(CommandKeys.touchesEveryKey("FLUSHDB")).isTrue();
        assertThat(CommandKeys.touchesEveryKey("GET")).isFalse();
        assertThat(keys("FLUSHALL")).isEmpty();
        assertThat(keys("JSON.SET", "k", "$", "1")).isNull();
        assertThat(keys("SORT", "k", "STORE", "dst")).isNull(); // STORE form: not guessed
        assertThat(CommandKeys.keys(new byte[0][])).isNull();
    }

    /** If the engine learns a command, this table must learn its key positions too (else it fails closed). */
    @Test
    void everyCommandTheEngineServesIsKnown() throws Exception {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(100, 1 << 20));
        engine.isWrite(new byte[][] {"get".getBytes(java.nio.charset.StandardCharsets.US_ASCII)}); // builds the table
        Object dispatcher = field(engine, "dispatcher");
        CommandTable table = (CommandTable) field(dispatcher, "table");
        Command[] slots = (Command[]) field(table, "slots");
        List<String> names = new ArrayList<>();
        for (Command c : slots) {
            if (c != null) {
                names.add(c.name.toUpperCase(Locale.ROOT));
            }
        }
        assertThat(names).hasSize(table.size()).contains("SET", "BLPOP", "MULTI");
        assertThat(names).allSatisfy(n -> assertThat(CommandKeys.knows(n)).as(n).isTrue());
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }
}
