package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RESP2/RESP3 shapes, HELLO, session state (db, name, user), isolation and not-served outcomes. */
class ProtocolAndSessionTest extends EngineTestSupport {

    @Test
    void helloNegotiatesResp3AndRepliesLikeRedis7() {
        String r = run("HELLO", "3");
        assertThat(r).startsWith("%7|$6|server|$5|redis|$7|version|$6|7.0.15|$5|proto|:3|$2|id|:")
                .endsWith("$4|mode|$10|standalone|$4|role|$6|master|$7|modules|*0|");
        assertThat(session.protocol()).isEqualTo(3);
        assertThat(run("HELLO")).contains("$5|proto|:3|");
        assertThat(run("HELLO", "2")).startsWith("*14|$6|server|");
        assertThat(session.protocol()).isEqualTo(2);
    }

    @Test
    void helloWithAuthAndSetname() {
        assertThat(run("HELLO", "3", "AUTH", "alice", "secret", "SETNAME", "conn1")).startsWith("%7|");
        assertThat(session.user()).isEqualTo("alice");
        assertThat(run("CLIENT", "GETNAME")).isEqualTo("$5|conn1|");
        assertThat(run("HELLO", "3", "AUTH", "x")).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'|");
    }

    @Test
    void resp3Shapes() {
        session.setProtocol(3);
        run("HSET", "h", "a", "1", "b", "2");
        assertThat(run("HGETALL", "h")).isEqualTo("%2|$1|a|$1|1|$1|b|$1|2|");
        assertThat(run("HGETALL", "nokey")).isEqualTo("%0|");
        run("SADD", "s", "1", "3", "2");
        assertThat(run("SMEMBERS", "s")).isEqualTo("~3|$1|1|$1|2|$1|3|");
        assertThat(run("GET", "nokey")).isEqualTo("_|");
        run("ZADD", "z", "1.5", "a", "0.1", "b");
        assertThat(run("ZSCORE", "z", "a")).isEqualTo(",1.5|");
        assertThat(run("ZSCORE", "z", "b")).isEqualTo(",0.10000000000000001|");
        assertThat(run("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo("*2|*2|$1|b|,0.10000000000000001|*2|$1|a|,1.5|");
        assertThat(run("ZINCRBY", "z", "1", "a")).isEqualTo(",2.5|");
        assertThat(run("INCRBYFLOAT", "f", "1.5")).isEqualTo("$3|1.5|");
        assertThat(run("CONFIG", "GET", "maxmemory")).isEqualTo("%0|");
        assertThat(run("LPOP", "nolist", "2")).isEqualTo("_|");
        assertThat(run("INFO")).startsWith("=").contains("txt:# Server|redis_version:7.0.15|");
    }

    @Test
    void resp2Shapes() {
        run("HSET", "h", "a", "1");
        assertThat(run("HGETALL", "h")).isEqualTo("*2|$1|a|$1|1|");
        assertThat(run("GET", "nokey")).isEqualTo("$-1|");
        assertThat(run("LPOP", "nolist", "2")).isEqualTo("*-1|");
        run("ZADD", "z", "3", "a");
        assertThat(run("ZSCORE", "z", "a")).isEqualTo("$1|3|");
        assertThat(run("INFO")).startsWith("$").contains("# Server|redis_version:7.0.15|");
    }

    @Test
    void selectValidatesAndIsolatesDatabases() {
        assertThat(run("SELECT", "16")).isEqualTo("-ERR DB index is out of range|");
        assertThat(run("SELECT", "x")).isEqualTo("-ERR value is not an integer or out of range|");
        run("SET", "k", "db0");
        assertThat(run("SELECT", "15")).isEqualTo("+OK|");
        assertThat(run("GET", "k")).isEqualTo("$-1|");
        run("SET", "k", "db15");
        assertThat(session.db()).isEqualTo(15);
        run("SELECT", "0");
        assertThat(run("GET", "k")).isEqualTo("$3|db0|");
    }

    @Test
    void keyspacesAreIsolatedPerEndpointAndUser() {
        EngineSession other = engine.openSession("otherhost:6380", ChangeFeed.NONE);
        EngineSession same = engine.openSession("localhost:6379", ChangeFeed.NONE);
        EngineSession alice = engine.openSession("localhost:6379", ChangeFeed.NONE);
        run("SET", "k", "v");
        assertThat(run(other, "GET", "k")).isEqualTo("$-1|");
        assertThat(run(same, "GET", "k")).isEqualTo("$1|v|");
        assertThat(run(alice, "AUTH", "alice", "pw")).isEqualTo("+OK|");
        assertThat(run(alice, "GET", "k")).isEqualTo("$-1|");
        run(alice, "SET", "k", "alice's");
        assertThat(run("GET", "k")).isEqualTo("$1|v|");
        assertThat(run(same, "AUTH", "default", "pw")).isEqualTo("+OK|");
        assertThat(run(same, "GET", "k")).isEqualTo("$1|v|");
        assertThat(run(same, "AUTH", "onlypassword")).isEqualTo("+OK|");
        assertThat(run(same, "GET", "k")).isEqualTo("$1|v|");
    }

    @Test
    void clientCommands() {
        assertThat(run("CLIENT", "SETNAME", "app-1")).isEqualTo("+OK|");
        assertThat(run("CLIENT", "GETNAME")).isEqualTo("$5|app-1|");
        assertThat(run("CLIENT", "ID")).isEqualTo(":" + session.id() + "|");
        assertThat(run("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo("+OK|");
        assertThat(run("CLIENT", "SETINFO", "LIB-VER", "5.1.0")).isEqualTo("+OK|");
        assertThat(run("CLIENT", "SETNAME", "a b")).isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.|");
        assertThat(run("CLIENT", "KILL", "x")).startsWith("NOTSERVED: CLIENT KILL");
    }

    @Test
    void resetRestoresConnectionDefaults() {
        run("HELLO", "3");
        run("SELECT", "3");
        run("CLIENT", "SETNAME", "n");
        run("MULTI");
        assertThat(run("RESET")).isEqualTo("+RESET|");
        assertThat(session.protocol()).isEqualTo(2);
        assertThat(session.db()).isEqualTo(0);
        assertThat(session.inMulti()).isFalse();
        assertThat(run("CLIENT", "GETNAME")).isEqualTo("$-1|");
        assertThat(run("QUIT")).isEqualTo("+OK|");
    }

    @Test
    void unservedCommandsNameTheCommand() {
        assertThat(run("EVAL", "return 1", "0")).isEqualTo("NOTSERVED: EVAL is not served by the redis-resilience fallback while localhost:6379 is unreachable");
        assertThat(run("subscribe", "ch")).startsWith("NOTSERVED: SUBSCRIBE is not served");
        assertThat(run("XADD", "s", "*", "a", "1")).startsWith("NOTSERVED: XADD");
        assertThat(run("CONFIG", "SET", "x", "y")).startsWith("NOTSERVED: CONFIG SET");
        EngineReply r = engine.execute(session, new byte[0][]);
        assertThat(r.served()).isFalse();
    }

    @Test
    void commandNamesAreCaseInsensitive() {
        assertThat(run("sEt", "k", "v")).isEqualTo("+OK|");
        assertThat(run("get", "k")).isEqualTo("$1|v|");
        assertThat(run("GeT", "k", "x")).isEqualTo("-ERR wrong number of arguments for 'get' command|");
    }

    @Test
    void clusterAndCommandHandshakeAnswers() {
        EngineSession s = engine.openSession("10.0.0.5:7001", ChangeFeed.NONE);
        assertThat(run(s, "CLUSTER", "SLOTS")).startsWith("*1|*3|:0|:16383|*3|$8|10.0.0.5|:7001|$40|");
        assertThat(run(s, "CLUSTER", "NODES")).contains(" 10.0.0.5:7001@17001 myself,master - 0 0 1 connected 0-16383");
        assertThat(run(s, "COMMAND")).isEqualTo("*0|");
        assertThat(run(s, "COMMAND", "COUNT")).startsWith(":");
        assertThat(run(s, "COMMAND", "DOCS")).isEqualTo("*0|");
        assertThat(run(s, "READONLY")).isEqualTo("+OK|");
        assertThat(run(s, "TIME")).startsWith("*2|$");
        assertThat(run(s, "PING")).isEqualTo("+PONG|");
    }

    @Test
    void authIsAcceptedAndRecorded() {
        assertThat(run("AUTH", "bob", "pw")).isEqualTo("+OK|");
        assertThat(session.user()).isEqualTo("bob");
        run("SET", "k", "v");
        assertThat(changes.get(0).user()).isEqualTo("bob");
        assertThat(run("AUTH", "a", "b", "c")).isEqualTo("-ERR syntax error|");
    }
}
