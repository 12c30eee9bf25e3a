package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.asm.Advice;

/** Inline advice for AgentInstallerTest: replaces the return value. */
public final class TestAdvice {
    private TestAdvice() { }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false) String returned) {
        returned = "advised";
    }
}
