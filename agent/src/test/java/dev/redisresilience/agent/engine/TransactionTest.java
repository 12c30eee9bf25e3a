package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionTest extends EngineTestSupport {

    @Test
    void execRunsQueuedCommandsAndReportsRuntimeErrorsAsElements() {
        run("SET", "s", "x");
        assertThat(run("MULTI")).isEqualTo("+OK|");
        assertThat(run("SET", "a", "1")).isEqualTo("+QUEUED|");
        assertThat(run("INCR", "s")).isEqualTo("+QUEUED|");
        assertThat(run("INCR", "a")).isEqualTo("+QUEUED|");
        assertThat(run("EXEC")).isEqualTo("*3|+OK|-ERR value is not an integer or out of range|:2|");
        assertThat(session.inMulti()).isFalse();
    }

    @Test
    void queueingErrorsAbortExec() {
        run("MULTI");
        assertThat(run("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command|");
        run("SET", "a", "1");
        assertThat(run("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.|");
        assertThat(run("GET", "a")).isEqualTo("$-1|");
        run("MULTI");
        assertThat(run("EVAL", "x", "0")).startsWith("NOTSERVED: EVAL");
        assertThat(run("EXEC")).startsWith("-EXECABORT");
    }

    @Test
    void subcommandArityIsCheckedWhenQueued() {
        run("MULTI");
        assertThat(run("CLIENT", "SETNAME", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'client|setname' command|");
        assertThat(run("CLIENT", "GETNAME", "x")).isEqualTo("-ERR wrong number of arguments for 'client|getname' command|");
        assertThat(run("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.|");
        assertThat(run("CLIENT", "SETNAME")).isEqualTo("-ERR wrong number of arguments for 'client|setname' command|");
    }

    @Test
    void multiStateErrors() {
        assertThat(run("EXEC")).isEqualTo("-ERR EXEC without MULTI|");
        assertThat(run("DISCARD")).isEqualTo("-ERR DISCARD without MULTI|");
        run("MULTI");
        assertThat(run("MULTI")).isEqualTo("-ERR MULTI calls can not be nested|");
        assertThat(run("WATCH", "k")).isEqualTo("-ERR WATCH inside MULTI is not allowed|");
        run("SET", "k", "v");
        assertThat(run("DISCARD")).isEqualTo("+OK|");
        assertThat(run("GET", "k")).isEqualTo("$-1|");
    }

    @Test
    void watchAbortsWhenAnotherSessionWritesTheKey() {
        EngineSession other = engine.openSession("localhost:6379", ChangeFeed.NONE);
        run("SET", "balance", "10");
        run("WATCH", "balance");
        run(other, "INCRBY", "balance", "5");
        run("MULTI");
        run("DECRBY", "balance", "10");
        assertThat(run("EXEC")).isEqualTo("*-1|");
        assertThat(run("GET", "balance")).isEqualTo("$2|15|");
        // unrelated writes do not abort
        run("WATCH", "balance");
        run(other, "SET", "unrelated", "1");
        run("MULTI");
        run("DECRBY", "balance", "10");
        assertThat(run("EXEC")).isEqualTo("*1|:5|");
    }

    @Test
    void watchAbortsOnFlushAndExpiry() throws Exception {
        EngineSession other = engine.openSession("localhost:6379", ChangeFeed.NONE);
        run("SET", "k", "v");
        run("WATCH", "k");
        run(other, "FLUSHALL");
        run("MULTI");
        run("GET", "k");
        assertThat(run("EXEC")).isEqualTo("*-1|");
        run("SET", "k", "v", "PX", "150");
        run("WATCH", "k");
        Thread.sleep(250);
        run("MULTI");
        run("GET", "k");
        session.setProtocol(3);
        assertThat(run("EXEC")).isEqualTo("_|");
    }

    @Test
    void closeSessionForgetsWatchesAndQueue() {
        run("WATCH", "k");
        run("MULTI");
        engine.closeSession(session);
        assertThat(session.inMulti()).isFalse();
        assertThat(run("EXEC")).isEqualTo("-ERR EXEC without MULTI|");
    }
}
