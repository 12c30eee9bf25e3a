package dev.redisresilience.agent.instrumentation;

import org.objectweb.asm.Opcodes;

/**
 * A call site rewrite of a {@link TypeWeave}: in every method of the woven class (lambda bodies included), each
 * call of the instance method {@code owner.name(...)} returning {@code void} is replaced by a call of the
 * weave's static hook {@code hook(Object receiver, <the call's arguments>, String descriptor, Object enclosing)}:
 * reference arguments as {@code Object}; {@code descriptor} is the replaced call's JVM descriptor (so the hook
 * can make the original call when it wants to); {@code enclosing} is the instance whose method makes the call,
 * null in a static method. The hook must never throw. Immutable.
 */
public final class CallWeave {
    final String owner;
    final String name;
    final String hook;

    /**
     * @param owner the internal name of the class or interface the calls are made on, e.g.
     *              {@code io/netty/util/internal/logging/InternalLogger}
     */
    public CallWeave(String owner, String name, String hook) {
        this.owner = owner;
        this.name = name;
        this.hook = hook;
    }

    boolean matches(int opcode, String callOwner, String callName, String descriptor) {
        return opcode != Opcodes.INVOKESTATIC && owner.equals(callOwner) && name.equals(callName)
                && descriptor.endsWith(")V");
    }

    @Override
    public String toString() {
        return owner + "." + name;
    }
}
