package dev.redisresilience.outage;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first quick-start command: jedis-latest under the agent (default settings), pointed at a port where
 * no Redis listens, with {@code --verbose}. It must work and say so in one line; when a redis-server is started on
 * that port mid-run, the agent says UP once and the app carries on against Redis, which then holds every INCR
 * (the outage's were replayed).
 */
class QuickstartDemoIT {
    @Test
    void worksWithoutRedisAndRecoversWhenRedisStarts() throws Exception {
        int port = freePort();
        ChildJvm.Builder b = ChildJvm.builder()
                .agent(ChildJvm.builtAgentJar(), null)
                .jar(SampleApp.JEDIS_LATEST.jar())
                .args("--port", Integer.toString(port), "--seconds", "8", "--verbose")
                .timeout(Duration.ofSeconds(120));
        try (ChildJvm.Handle app = b.start()) {
            app.awaitLine(OutageRun.DOWN_LINE, Duration.ofSeconds(60));
            app.awaitLine(l -> l.startsWith("app: "), Duration.ofSeconds(30));
            try (RedisServer redis = RedisServer.builder().port(port).start()) {
                app.awaitLine(OutageRun.UP_LINE, Duration.ofSeconds(30));
                ChildJvm.Result r = app.waitFor();
                String out = r.output();
                assertThat(r.exitCode()).as(out).isZero();
                List<String> down = r.lines().stream().filter(OutageRun.DOWN_LINE).toList();
                List<String> up = r.lines().stream().filter(OutageRun.UP_LINE).toList();
                assertThat(down).as(out).hasSize(1);
                assertThat(down.get(0)).as(out).contains("Redis localhost:" + port + " is DOWN (")
                        .contains("Connection refused").contains("serving commands from the in-process fallback");
                assertThat(up).as(out).hasSize(1);
                assertThat(up.get(0)).as(out).contains("Redis localhost:" + port + " is UP again after")
                        .containsPattern("[1-9]\\d* writes replayed");
                List<String> progress = r.lines().stream().filter(l -> l.startsWith("app: ")).toList();
                assertThat(progress).as(out).hasSizeGreaterThanOrEqualTo(3)
                        .allMatch(l -> l.endsWith(" 0 errors so far"));
                // nothing but the JVM's CDS note, the agent's startup/DOWN/UP lines, progress and the summary
                assertThat(r.lines()).as(out).allMatch(l -> l.startsWith("app: ") || l.startsWith("{\"app\":")
                        || l.startsWith("OpenJDK 64-Bit Server VM warning: Sharing")
                        || (OutageRun.isAgentLine(l) && (l.contains(" active; settings: ") || OutageRun.DOWN_LINE.test(l)
                        || OutageRun.UP_LINE.test(l))));
                String json = r.lines().stream().filter(l -> l.startsWith("{\"app\":")).reduce((a, c) -> c).orElseThrow();
                assertThat(json).contains("\"errors\":0,");
                long incrs = Long.parseLong(json.replaceAll(".*\"incrs\":(\\d+).*", "$1"));
                long pushed = Long.parseLong(json.replaceAll(".*\"jobsPushed\":(\\d+).*", "$1"));
                long popped = Long.parseLong(json.replaceAll(".*\"jobsPopped\":(\\d+).*", "$1"));
                try (RespClient c = redis.client()) {
                    assertThat(OutageRun.number(c.callText("GET", "hits"))).as(out).isEqualTo(incrs);
                    assertThat(OutageRun.number(c.callText("LLEN", "jobs"))).as(out).isEqualTo(pushed - popped);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
