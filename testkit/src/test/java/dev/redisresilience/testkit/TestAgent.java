package dev.redisresilience.testkit;

/** A trivial -javaagent used by ChildJvmTest. */
public final class TestAgent {
    public static void premain(String args) {
        System.setProperty("testkit.agent.args", String.valueOf(args));
    }
}
