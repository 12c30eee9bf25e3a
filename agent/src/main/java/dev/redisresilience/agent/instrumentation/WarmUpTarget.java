package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * What {@link ClientTransformer#warmUp} transforms (and drops): a small class with the shapes the client
 * advice meet, advised by {@link Hooks}, which uses each kind of advice argument the modules use. Never
 * instantiated; its only purpose is that Byte Buddy's transformation path is loaded and initialised before
 * the first client class needs it.
 */
final class WarmUpTarget {
    private Object socket;
    private boolean broken;

    private WarmUpTarget() { }

    String call(String key, int db) {
        if (key == null) {
            throw new IllegalArgumentException("key");
        }
        try {
            return key + db + socket;
        } finally {
            broken = false;
        }
    }

    /** The advice applied to {@link WarmUpTarget#call}. */
    static final class Hooks {
        private Hooks() { }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Object self, @Advice.Argument(0) String key,
                             @Advice.FieldValue("socket") Object socket, @Advice.Origin("#m") String method,
                             @Advice.AllArguments Object[] args, @Advice.Local("before") long before) {
            before = System.nanoTime();
            return socket == null && key == null && method == null && args == null && self == null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean skipped, @Advice.Thrown(readOnly = false) Throwable thrown,
                         @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
                         @Advice.FieldValue(value = "broken", readOnly = false) boolean broken,
                         @Advice.Local("before") long before) {
            if (skipped || thrown != null && before > 0) {
                returned = "";
                thrown = null;
                broken = false;
            }
        }
    }
}
