package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;

import java.io.File;
import java.io.IOException;

/**
 * Byte Buddy and the locator of the advice classes, built at first use: an application that uses only the
 * woven clients (Jedis) never builds them. Thread-safe; a second caller waits for the first one's build.
 */
final class LazyByteBuddy {
    private final File agentJar;
    private ByteBuddy byteBuddy; // guarded by this
    private ClassFileLocator adviceLocator; // guarded by this

    /** {@code agentJar}: the jar holding the advice classes, or null to find them through the agent's loader. */
    LazyByteBuddy(File agentJar) {
        this.agentJar = agentJar;
    }

    synchronized ByteBuddy byteBuddy() {
        if (byteBuddy == null) {
            // advice only: class format changes disabled (no implementation context, no bridges), the type's own
            // methods only, no validation
            byteBuddy = new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .with(VisibilityBridgeStrategy.Default.NEVER)
                    .with(InstrumentedType.Factory.Default.FROZEN);
        }
        return byteBuddy;
    }

    /** True once {@link #byteBuddy()} has been called. */
    synchronized boolean built() {
        return byteBuddy != null;
    }

    synchronized ClassFileLocator adviceLocator() throws IOException {
        if (adviceLocator == null) {
            adviceLocator = agentJar != null
                    ? ClassFileLocator.ForJarFile.of(agentJar)
                    : ClassFileLocator.ForClassLoader.of(LazyByteBuddy.class.getClassLoader());
        }
        return adviceLocator;
    }
}
