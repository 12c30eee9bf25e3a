package dev.redisresilience.agent.instrumentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which hooks one method of a {@link TypeWeave} gets: static methods of the weave's hook class, called from
 * the method's own bytecode. Every hook receives, in this order: the instance, then the
 * method's name ({@link #withMethodName}), the enter hook's state ({@link Enter#STATE}), the values of the
 * {@link #fields} (read at the call), and the method's arguments ({@link #withArguments}, or one
 * {@code Object[]} of them, boxed: {@link #withArgumentArray}). Reference types are passed as {@code Object},
 * primitives as they are.
 * <ul>
 *   <li>{@link #enter}: first thing in the method; what its {@code Object} result does is the {@link Enter}
 *       kind.</li>
 *   <li>{@link #onReturn}: {@code void}, just before every normal return of the method's own code; or
 *       {@link #onReturnValue}: the same for a method returning a reference, receiving the value being returned
 *       FIRST and returning the value to return instead.</li>
 *   <li>{@link #onThrow}: when the method's own code throws anything; it receives the throwable FIRST, before
 *       the instance, and returns an {@code Object}: a {@code Throwable} is thrown (return the one received to
 *       let it go on), anything else is the method's return value (ignored for {@code void}; unboxed for a
 *       primitive), so a method woven this way must not return throwables.</li>
 * </ul>
 * Hooks must never throw: nothing catches around the calls (the hook class catches and reports). Instance
 * methods with code only; constructors take {@link #onReturn} only. Immutable.
 */
public final class MethodWeave {

    /** What the {@link #enter} hook's result does. */
    public enum Enter {
        /** Nothing: the hook returns {@code void}. */
        NONE,
        /** Kept in a local of the method and passed to its other hooks. */
        STATE,
        /** As {@link #STATE}, but {@link #SKIP} returns at once (the default value: null, 0, false). */
        STATE_OR_SKIP,
        /** Replaces the method's first argument (a reference) before its code runs. */
        ARGUMENT_0,
        /**
         * {@link #PROCEED} runs the method; anything else is returned at once (ignored for {@code void},
         * unboxed for a primitive), the method's code skipped.
         */
        RETURN_OR_PROCEED
    }

    /** The {@link Enter#STATE_OR_SKIP} result that skips the method's code. */
    public static final Object SKIP = new Object();

    /** The {@link Enter#RETURN_OR_PROCEED} result that runs the method's code. */
    public static final Object PROCEED = new Object();

    final List<String> names;
    final String argumentsDescriptor;
    final String enter;
    final Enter enterKind;
    final List<String> fields;
    final boolean methodName;
    final boolean arguments;
    final boolean argumentArray;
    final String onReturn;
    final boolean returnValue;
    final String onThrow;

    private MethodWeave(List<String> names, String argumentsDescriptor, String enter, Enter enterKind,
                        List<String> fields, boolean methodName, boolean arguments, boolean argumentArray,
                        String onReturn, boolean returnValue, String onThrow) {
        this.names = names;
        this.argumentsDescriptor = argumentsDescriptor;
        this.enter = enter;
        this.enterKind = enterKind;
        this.fields = fields;
        this.methodName = methodName;
        this.arguments = arguments;
        this.argumentArray = argumentArray;
        this.onReturn = onReturn;
        this.returnValue = returnValue;
        this.onThrow = onThrow;
    }

    /**
     * The methods named {@code names} whose parameters are {@code argumentsDescriptor}, the JVM descriptor up to
     * its closing parenthesis, e.g. {@code "(I)"} or {@code "(Lredis/clients/jedis/CommandArguments;)"}; the
     * return type is not matched (it varies between client versions). {@code "<init>"} matches constructors.
     */
    public static MethodWeave methods(String argumentsDescriptor, String... names) {
        return new MethodWeave(Collections.unmodifiableList(Arrays.asList(names.clone())), argumentsDescriptor,
                null, Enter.NONE, Collections.<String>emptyList(), false, false, false, null, false, null);
    }

    /** Adds the enter hook. */
    public MethodWeave enter(String hook, Enter kind) {
        return new MethodWeave(names, argumentsDescriptor, hook, kind, fields, methodName, arguments, argumentArray,
                onReturn, returnValue, onThrow);
    }

    /** Passes these fields of the instance (declared by the woven class itself) to every hook. */
    public MethodWeave fields(String... names) {
        return new MethodWeave(this.names, argumentsDescriptor, enter, enterKind,
                Collections.unmodifiableList(Arrays.asList(names.clone())), methodName, arguments, argumentArray,
                onReturn, returnValue, onThrow);
    }

    /** Passes the method's name to every hook (one weave for several methods). */
    public MethodWeave withMethodName() {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, true, arguments, argumentArray,
                onReturn, returnValue, onThrow);
    }

    /** Passes the method's arguments to every hook. */
    public MethodWeave withArguments() {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, methodName, true, false,
                onReturn, returnValue, onThrow);
    }

    /** Passes the method's arguments to every hook as one {@code Object[]}, boxed (any number of them). */
    public MethodWeave withArgumentArray() {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, methodName, false, true,
                onReturn, returnValue, onThrow);
    }

    /** Adds the hook called before every normal return. */
    public MethodWeave onReturn(String hook) {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, methodName, arguments,
                argumentArray, hook, false, onThrow);
    }

    /** Adds the hook called before every normal return that receives the value returned and returns its replacement. */
    public MethodWeave onReturnValue(String hook) {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, methodName, arguments,
                argumentArray, hook, true, onThrow);
    }

    /** Adds the hook called when the method throws. */
    public MethodWeave onThrow(String hook) {
        return new MethodWeave(names, argumentsDescriptor, enter, enterKind, fields, methodName, arguments,
                argumentArray, onReturn, returnValue, hook);
    }

    boolean matches(String name, String descriptor) {
        return names.contains(name) && descriptor.startsWith(argumentsDescriptor);
    }

    boolean hasState() {
        return enter != null && (enterKind == Enter.STATE || enterKind == Enter.STATE_OR_SKIP);
    }

    /** E.g. {@code getMany(I)}, {@code getBulkReply/getOne()}, {@code connectStatefulAsync(...)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : "/").append(n);
        }
        return b.append(argumentsDescriptor.endsWith(")") ? argumentsDescriptor : argumentsDescriptor + "...)")
                .toString();
    }
}
