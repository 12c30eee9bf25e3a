package dev.redisresilience.agent.instrumentation;

/** Woven hooks for AgentInstallerTest (a hook class must be public). */
public final class TestHooks {
    private TestHooks() { }

    /** Replaces the value returned. */
    public static Object advised(Object returned, Object self) {
        return "advised";
    }

    public static Object skipAll(Object self) {
        return MethodWeave.SKIP;
    }
}
