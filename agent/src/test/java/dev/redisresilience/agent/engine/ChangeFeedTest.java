package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mutation is reported with a deterministic replay command; no-ops are not reported. */
class ChangeFeedTest extends EngineTestSupport {

    @Test
    void relativeExpiriesBecomeAbsolute() {
        long before = System.currentTimeMillis();
        run("SET", "k", "v", "EX", "60");
        run("EXPIRE", "k", "10");
        run("SETEX", "k2", "5", "v");
        run("GETEX", "k2", "PX", "500");
        long after = System.currentTimeMillis();
        assertThat(replays()).hasSize(4);
        String[] set = replays().get(0).split(" ");
        assertThat(set[0] + " " + set[1] + " " + set[2] + " " + set[3]).isEqualTo("SET k v PXAT");
        assertThat(Long.parseLong(set[4])).isBetween(before + 60_000, after + 60_000);
        String[] exp = replays().get(1).split(" ");
        assertThat(exp[0]).isEqualTo("PEXPIREAT");
        assertThat(Long.parseLong(exp[2])).isBetween(before + 10_000, after + 10_000);
        assertThat(replays().get(2)).startsWith("SET k2 v PXAT ");
        assertThat(replays().get(3)).startsWith("PEXPIREAT k2 ");
    }

    @Test
    void randomEffectsBecomeWhatHappened() {
        run("SADD", "s", "a", "b", "c");
        String popped = run("SPOP", "s");
        String member = popped.substring(popped.indexOf('|') + 1, popped.length() - 1);
        assertThat(replays().get(1)).isEqualTo("SREM s " + member);
        run("SPOP", "s", "5");
        assertThat(replays().get(2)).startsWith("SREM s ").hasSize("SREM s x y".length());
    }

    @Test
    void countersStayRelativeAndPopsReplayAsPops() {
        run("INCR", "c");
        run("INCRBY", "c", "5");
        run("INCRBYFLOAT", "f", "1.5");
        run("HINCRBY", "h", "f", "2");
        run("RPUSH", "q", "a", "b", "c");
        run("LPOP", "q");
        run("RPOP", "q", "2");
        run("RPUSH", "q", "x");
        run("BLPOP", "nothing", "q", "0");
        run("RPUSH", "q", "y");
        run("BLMOVE", "q", "q2", "LEFT", "RIGHT", "0");
        assertThat(replays()).containsExactly("INCR c", "INCRBY c 5", "INCRBYFLOAT f 1.5", "HINCRBY h f 2",
                "RPUSH q a b c", "LPOP q", "RPOP q 2", "RPUSH q x", "LPOP q", "RPUSH q y", "LMOVE q q2 LEFT RIGHT");
    }

    @Test
    void noOpsAreNotReported() {
        run("SET", "k", "v");
        changes.clear();
        run("SET", "k", "x", "NX");
        run("DEL", "missing");
        run("SETNX", "k", "y");
        run("EXPIRE", "missing", "10");
        run("PERSIST", "k");
        run("HDEL", "h", "f");
        run("SREM", "s", "m");
        run("SADD", "s", "m");
        run("SADD", "s", "m");
        run("ZADD", "z", "NX", "1", "a");
        run("ZADD", "z", "NX", "2", "a");
        run("GET", "k");
        run("LPOP", "nolist");
        assertThat(replays()).containsExactly("SADD s m", "ZADD z NX 1 a");
    }

    @Test
    void keysTouchedAndLocationAreFilled() {
        run("SELECT", "3");
        run("MSET", "a", "1", "b", "2");
        run("RENAME", "a", "c");
        run("DEL", "b", "zz");
        Change mset = changes.get(0);
        assertThat(mset.db()).isEqualTo(3);
        assertThat(mset.endpointId()).isEqualTo("localhost:6379");
        assertThat(mset.user()).isNull();
        assertThat(java.util.Arrays.stream(mset.keys()).map(EngineTestSupport::str)).containsExactly("a", "b");
        assertThat(java.util.Arrays.stream(changes.get(1).keys()).map(EngineTestSupport::str)).containsExactly("a", "c");
        assertThat(replays().get(2)).isEqualTo("DEL b");
    }

    @Test
    void transactionsReportEachExecutedCommand() {
        run("MULTI");
        run("SET", "a", "1");
        run("INCR", "a");
        run("GET", "a");
        assertThat(changes).isEmpty();
        run("EXEC");
        assertThat(replays()).containsExactly("SET a 1", "INCR a");
    }

    @Test
    void flushesAreReported() {
        run("SET", "a", "1");
        run("FLUSHDB");
        run("FLUSHALL");
        assertThat(replays()).containsExactly("SET a 1", "FLUSHDB", "FLUSHALL");
    }

    @Test
    void setOptionsAreResolved() {
        run("SET", "k", "v", "EX", "100");
        run("SET", "k", "w", "KEEPTTL");
        run("SET", "k", "x", "XX", "GET");
        run("GETSET", "k", "y");
        run("GETDEL", "k");
        assertThat(replays().get(1)).isEqualTo("SET k w KEEPTTL");
        assertThat(replays().subList(2, 5)).containsExactly("SET k x", "SET k y", "DEL k");
    }

    @Test
    void zsetRemovalsReplayAsZrem() {
        run("ZADD", "z", "1", "a", "2", "b", "3", "c");
        run("ZPOPMIN", "z");
        run("ZREMRANGEBYSCORE", "z", "2", "2");
        assertThat(replays()).containsExactly("ZADD z 1 a 2 b 3 c", "ZREM z a", "ZREM z b");
    }
}
