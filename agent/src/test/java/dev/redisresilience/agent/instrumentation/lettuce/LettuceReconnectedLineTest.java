package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.log.AgentLog;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook that stands in for {@code InternalLogger.info(..)} inside Lettuce's ReconnectionHandler (the
 * dropping of an owned reconnect's line is covered per Lettuce version by the child-JVM outage test): every
 * other call reaches the logger unchanged, and a failing logger never reaches Lettuce.
 */
class LettuceReconnectedLineTest {

    /** Stands in for Netty's InternalLogger. */
    public static final class Recorder {
        final List<String> lines = new ArrayList<>();

        public void info(String format, Object arg) {
            lines.add(format + " | " + arg);
        }

        public void info(String format, Object a, Object b) {
            lines.add(format + " | " + a + " | " + b);
        }

        public void fail(String format, Object arg) {
            throw new IllegalStateException("logger broken");
        }
    }

    @Test
    void linesOfReconnectsTheAgentDoesNotOwnAndOtherLinesAreLoggedUnchanged() throws Exception {
        Recorder logger = new Recorder();
        Method one = Recorder.class.getMethod("info", String.class, Object.class);
        Method two = Recorder.class.getMethod("info", String.class, Object.class, Object.class);
        Object unknownHandler = new Object();

        LettuceReconnectedLine.info(logger, new Object[] {"Reconnected to {}", "127.0.0.1:1"}, one, unknownHandler);
        LettuceReconnectedLine.info(logger, new Object[] {"Reconnected to {}, Channel {}", "127.0.0.1:1", "[id]"}, two, null);
        LettuceReconnectedLine.info(logger, new Object[] {"Something else {}", "x"}, one, unknownHandler);

        assertThat(logger.lines).containsExactly(
                "Reconnected to {} | 127.0.0.1:1",
                "Reconnected to {}, Channel {} | 127.0.0.1:1 | [id]",
                "Something else {} | x");
        assertThat(LettuceSupport.quietReconnected(unknownHandler)).isFalse();
        assertThat(LettuceSupport.quietReconnected(null)).isFalse();
    }

    @Test
    void aFailingLoggerNeverThrowsIntoLettuce() throws Exception {
        Method broken = Recorder.class.getMethod("fail", String.class, Object.class);
        try (AgentLog.Capture log = AgentLog.capture()) {
            LettuceReconnectedLine.info(new Recorder(), new Object[] {"Reconnected to {}", "a"}, broken, null);
            // reported as an instrumentation failure of the lettuce component (once per JVM: maybe earlier)
            assertThat(log.lines()).allMatch(l -> l.contains("instrumentation failure in lettuce"));
        }
    }
}
