package dev.redisresilience.agent.engine.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the oracle itself, independently of the engine: run against a second real redis-server it must find
 * no difference (so its handling of random commands, scans, TTLs and unordered replies produces no false
 * alarms), and run against a deliberately wrong implementation it must report the first wrong reply.
 */
class OracleSelfCheckTest {
    static RedisServer expected;
    static RedisServer other;

    @BeforeAll
    static void start() {
        expected = RedisServer.builder().args("--hz", "100").start();
        other = RedisServer.builder().args("--hz", "100").start();
    }

    @AfterAll
    static void stop() {
        if (expected != null) expected.close();
        if (other != null) other.close();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void twoRealRedisServersAgree(int protocol) {
        try (OracleRun run = new OracleRun(expected, Side.redis(other), Long.getLong("oracle.selfcheck.seed", 4242) + protocol, protocol,
                Integer.getInteger("oracle.selfcheck.commands", 6000), Set.of())) {
            run.run();
            System.out.println("[oracle self-check] " + run.label() + " errors " + run.errorReplies + "/" + run.replies + " executed " + run.executed());
            assertThat(run.mismatchCount).withFailMessage("false alarms:\n%s", String.join("\n", run.reports)).isZero();
            // the mix really executed the random, scan and transaction paths
            assertThat(run.executed()).containsKeys("SPOP", "SRANDMEMBER", "SCAN", "HSCAN", "MULTI", "EXEC", "BLPOP", "TTL");
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void aWrongImplementationIsCaughtWithSeedIndexAndCommand(int protocol) {
        Side.Factory broken = endpoint -> {
            Side[] real = Side.redis(other).open(endpoint);
            Side lying = new Side() {
                @Override
                public byte[] call(byte[][] argv) {
                    byte[] r = real[0].call(argv);
                    String name = new String(argv[0], StandardCharsets.UTF_8);
                    // an INCRBY that is off by one once the counter passes 20
                    if (name.equalsIgnoreCase("INCRBY") && r[0] == ':') {
                        long v = Long.parseLong(new String(r, 1, r.length - 3, StandardCharsets.US_ASCII));
                        if (v > 20) return (":" + (v + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    }
                    return r;
                }

                @Override
                public void protocol(int p) {
                    real[0].protocol(p);
                }

                @Override
                public void close() {
                    real[0].close();
                }
            };
            return new Side[] {lying, real[1]};
        };
        try (OracleRun run = new OracleRun(expected, broken, 99, protocol, 6000, Set.of())) {
            run.run();
            assertThat(run.mismatchCount).isPositive();
            String first = run.reports.get(0);
            System.out.println("[oracle self-check] caught as expected:\n" + first);
            assertThat(first).contains("seed=99", "protocol=RESP" + protocol, "index=", "command: ", "INCRBY", "redis  :", "engine :");
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void shortExpiryScenarioAgreesBetweenTwoRealServers(int protocol) throws Exception {
        Side[] sides = Side.redis(other).open("x");
        try (dev.redisresilience.testkit.RespClient redis = expected.client()) {
            assertThat(ShortExpiryOracleTest.run(redis, sides[0], protocol)).isEmpty();
        } finally {
            sides[0].close();
            sides[1].close();
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void unorderedRepliesAreComparedAsSets(int protocol) {
        byte[] a = (protocol == 2 ? "*2\r\n$1\r\na\r\n$1\r\nb\r\n" : "~2\r\n$1\r\na\r\n$1\r\nb\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] b = (protocol == 2 ? "*2\r\n$1\r\nb\r\n$1\r\na\r\n" : "~2\r\n$1\r\nb\r\n$1\r\na\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] c = (protocol == 2 ? "*2\r\n$1\r\nb\r\n$1\r\nc\r\n" : "~2\r\n$1\r\nb\r\n$1\r\nc\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(OracleRun.diff(OracleCommand.Kind.UNORDERED, a, b)).isNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.UNORDERED, a, c)).isNotNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.EXACT, a, b)).isNotNull();
        byte[] pairs1 = "*4\r\n$1\r\nf\r\n$1\r\n1\r\n$1\r\ng\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pairs2 = "*4\r\n$1\r\ng\r\n$1\r\n2\r\n$1\r\nf\r\n$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pairs3 = "*4\r\n$1\r\ng\r\n$1\r\n1\r\n$1\r\nf\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(OracleRun.diff(OracleCommand.Kind.UNORDERED_PAIRS, pairs1, pairs2)).isNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.UNORDERED_PAIRS, pairs1, pairs3)).isNotNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.TTL_SECONDS, ":100\r\n".getBytes(), ":99\r\n".getBytes())).isNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.TTL_SECONDS, ":100\r\n".getBytes(), ":97\r\n".getBytes())).isNotNull();
        assertThat(OracleRun.diff(OracleCommand.Kind.TTL_SECONDS, ":-1\r\n".getBytes(), ":0\r\n".getBytes())).isNotNull();
        assertThat(Arrays.asList(OracleRun.elements("*2\r\n:1\r\n*1\r\n+OK\r\n".getBytes()).get(1)))
                .isNotNull();
    }
}
