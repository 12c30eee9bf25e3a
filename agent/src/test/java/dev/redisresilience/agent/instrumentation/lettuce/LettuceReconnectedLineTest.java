package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.log.AgentLog;
import org.junit.jupiter.api.Test;

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

        public void info(String message) {
            throw new IllegalStateException("logger broken");
        }
    }

    @Test
    void linesOfReconnectsTheAgentDoesNotOwnAndOtherLinesAreLoggedUnchanged() throws Exception {
        Recorder logger = new Recorder();
        String one = "(Ljava/lang/String;Ljava/lang/Object;)V";
        String two = "(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)V";
        Object unknownHandler = new Object();

        LettuceHooks.reconnectedInfo(logger, "Reconnected to {}", "127.0.0.1:1", one, unknownHandler);
        LettuceHooks.reconnectedInfo(logger, "Reconnected to {}, Channel {}", "127.0.0.1:1", "[id]", two, null);
        LettuceHooks.reconnectedInfo(logger, "Something else {}", "x", one, unknownHandler);

        assertThat(logger.lines).containsExactly(
                "Reconnected to {} | 127.0.0.1:1",
                "Reconnected to {}, Channel {} | 127.0.0.1:1 | [id]",
                "Something else {} | x");
        assertThat(LettuceSupport.quietReconnected(unknownHandler)).isFalse();
        assertThat(LettuceSupport.quietReconnected(null)).isFalse();
    }

    /** Defines one class from its bytes, whatever its parent has: the same class name in two loaders. */
    static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(LettuceReconnectedLineTest.class.getClassLoader());
        }

        Class<?> define(Class<?> type) throws Exception {
            try (java.io.InputStream in = type.getResourceAsStream(type.getName().substring(
                    type.getName().lastIndexOf('.') + 1) + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(type.getName(), bytes, 0, bytes.length);
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void loggersOfTheSameClassNameInTwoClassLoadersAreEachCalledOnTheirOwnMethod() throws Exception {
        String one = "(Ljava/lang/String;Ljava/lang/Object;)V";
        Object a = new OwnLoader().define(Recorder.class).getConstructor().newInstance();
        Object b = new OwnLoader().define(Recorder.class).getConstructor().newInstance();
        LettuceHooks.reconnectedInfo(a, "Something {}", "a", one, null);
        LettuceHooks.reconnectedInfo(b, "Something {}", "b", one, null);
        java.lang.reflect.Field lines = a.getClass().getDeclaredField("lines");
        java.lang.reflect.Field linesB = b.getClass().getDeclaredField("lines");
        lines.setAccessible(true);
        linesB.setAccessible(true);
        assertThat((List<String>) lines.get(a)).containsExactly("Something {} | a");
        assertThat((List<String>) linesB.get(b)).containsExactly("Something {} | b");
    }

    @Test
    void aFailingOrMissingLoggerMethodNeverThrowsIntoLettuce() throws Exception {
        try (AgentLog.Capture log = AgentLog.capture()) {
            LettuceHooks.reconnectedInfo(new Recorder(), "Reconnected to a", "(Ljava/lang/String;)V", null);
            LettuceHooks.reconnectedInfo(new Recorder(), "Reconnected to {}", "a", "(Ljava/lang/String;I)V", null);
            // reported as an instrumentation failure of the lettuce component (once per JVM: maybe earlier)
            assertThat(log.lines()).allMatch(l -> l.contains("instrumentation failure in lettuce"));
        }
    }
}
