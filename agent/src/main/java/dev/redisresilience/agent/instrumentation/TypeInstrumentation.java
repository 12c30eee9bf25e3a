package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

/**
 * What one type instrumentation matches and which advice runs where. Advice classes are given by
 * binary name and applied inline (Byte Buddy {@code Advice}) without being loaded by the agent; they
 * reference JDK and agent types only (the agent is not compiled against the clients), so they are resolved
 * once for every class loader. Inline advice adds no fields or methods to the client class (retransformation
 * and attach stay possible).
 */
public interface TypeInstrumentation {

    /**
     * The binary name of the one class instrumented (e.g. {@code redis.clients.jedis.Connection}). A name,
     * not a matcher: every other client class is passed over without being described, and the start of the
     * agent holds back only the classes named here (see {@link ClientClassGate}).
     */
    String typeName();

    /** Method matcher to advice class binary name, in application order. */
    Map<ElementMatcher<? super MethodDescription>, String> advice();

    /**
     * A rewrite of call sites inside the matched type's methods (a Byte Buddy {@code MemberSubstitution}),
     * applied after the advice, or null for none; asked for when the type is first transformed, not before.
     * Like advice it changes method bodies only: no field or method is added.
     */
    default AsmVisitorWrapper visitor() {
        return null;
    }
}
