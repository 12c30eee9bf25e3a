package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.instrumentation.hooked.HookedTarget;
import dev.redisresilience.agent.instrumentation.woven.WovenTarget;
import org.objectweb.asm.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link TypeWeave} rewrites a real class file; the woven class is defined by a class loader of its own (so
 * the JVM verifies it) and run: every hook kind, argument kinds that take two slots, a frame at the first
 * instruction, a method's own handler, constructors, and nothing added to the class.
 */
public class TypeWeaveTest {
    static final List<String> CALLS = new ArrayList<>();

    // ---- the hooks (public static, as the weave requires) ----

    public static Object connectEnter(Object self, Object label, int count) {
        CALLS.add("enter " + label + " " + count);
        return "skip".equals(label) ? MethodWeave.SKIP : "state" + count;
    }

    public static void connectReturned(Object self, Object state, Object label, int count) {
        CALLS.add("returned " + state + " " + label + " " + count);
    }

    public static Object connectThrew(Throwable thrown, Object self, Object state, Object label, int count) {
        CALLS.add("threw " + thrown.getMessage() + " " + state + " " + count);
        return null; // swallowed
    }

    public static Object readThrew(Throwable thrown, Object self, String method) {
        CALLS.add("read threw " + method);
        return "read".equals(thrown.getMessage()) ? "from hook: " + method : thrown;
    }

    public static Object sumThrew(Throwable thrown, Object self, long a, double b, int c) {
        CALLS.add("sum threw " + a + " " + b + " " + c);
        return -1L;
    }

    public static Object configEnter(Object self, Object config) {
        return "replaced " + config;
    }

    public static Object spinEnter(Object self, int n) {
        return n;
    }

    public static Object spinThrew(Throwable thrown, Object self, Object state, int n) {
        CALLS.add("spin threw at " + n + " entered with " + state);
        return state;
    }

    public static Object guardedThrew(Throwable thrown, Object self) {
        CALLS.add("guarded threw");
        return thrown;
    }

    public static Object skippableEnter(Object self, int x) {
        return x == 0 ? MethodWeave.SKIP : null;
    }

    public static Object maybeEnter(Object self, Object in) {
        return "short".equals(in) ? "cut" : MethodWeave.PROCEED;
    }

    public static Object maybeVoidEnter(Object self, int x) {
        return x < 0 ? null : MethodWeave.PROCEED;
    }

    public static Object maybeLongEnter(Object self, long x) {
        return x == 0 ? (Object) 99L : MethodWeave.PROCEED;
    }

    public static void manyEnter(Object self, Object[] args) {
        CALLS.add("many " + Arrays.toString(args));
    }

    public static Object replacedReturned(Object returned, Object self, Object[] args) {
        return returned + "!" + args[0];
    }

    public static void info(Object logger, Object message, String descriptor, Object enclosing) {
        CALLS.add("info " + message + " " + descriptor + " from " + (enclosing == null ? null : "target"));
    }

    public static void info(Object logger, Object format, Object arg, String descriptor, Object enclosing) {
        CALLS.add("info " + format + " " + arg + " " + descriptor + " from " + (enclosing == null ? null : "target"));
    }

    public static void record(Object self, String method, Object[] args) {
        RECORDED.add(new Object[] {self, method, args});
    }

    static final List<Object[]> RECORDED = new ArrayList<>();

    /** Used by {@code AgentInstallerTest} (a hook class must be public). */
    public static Object skipAll(Object self) {
        return MethodWeave.SKIP;
    }

    public static void constructed(Object self, int count) {
        CALLS.add("constructed " + count);
    }

    static final class DefiningLoader extends ClassLoader {
        DefiningLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static byte[] classFile(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static TypeWeave weave() {
        return new TypeWeave(WovenTarget.class.getName(), TypeWeaveTest.class, Arrays.asList(
                MethodWeave.methods("(Ljava/lang/String;)", "maybe").withArguments()
                        .enter("maybeEnter", MethodWeave.Enter.RETURN_OR_PROCEED),
                MethodWeave.methods("(I)", "maybeVoid").withArguments()
                        .enter("maybeVoidEnter", MethodWeave.Enter.RETURN_OR_PROCEED),
                MethodWeave.methods("(J)", "maybeLong").withArguments()
                        .enter("maybeLongEnter", MethodWeave.Enter.RETURN_OR_PROCEED),
                MethodWeave.methods("(IJLjava/lang/String;)", "many").withArgumentArray()
                        .enter("manyEnter", MethodWeave.Enter.NONE),
                MethodWeave.methods("(Z)", "replaced").withArgumentArray().onReturnValue("replacedReturned"),
                MethodWeave.methods("()", "connect").fields("label", "count")
                        .enter("connectEnter", MethodWeave.Enter.STATE_OR_SKIP)
                        .onReturn("connectReturned").onThrow("connectThrew"),
                MethodWeave.methods("(Z)", "read", "readToo").withMethodName().onThrow("readThrew"),
                MethodWeave.methods("(JDI)", "sum").withArguments().onThrow("sumThrew"),
                MethodWeave.methods("(Ljava/lang/String;)", "config").withArguments()
                        .enter("configEnter", MethodWeave.Enter.ARGUMENT_0),
                MethodWeave.methods("(I)", "spin").withArguments().enter("spinEnter", MethodWeave.Enter.STATE)
                        .onThrow("spinThrew"),
                MethodWeave.methods("(Z)", "guarded").onThrow("guardedThrew"),
                MethodWeave.methods("(I)", "skippable").withArguments()
                        .enter("skippableEnter", MethodWeave.Enter.STATE_OR_SKIP),
                MethodWeave.methods("(I)", "<init>").fields("count").onReturn("constructed")),
                Arrays.asList(new CallWeave(Type.getInternalName(WovenTarget.Logger.class), "info", "info")));
    }

    private Class<?> type;

    @BeforeEach
    void weaveAndDefine() throws Exception {
        byte[] woven = weave().apply(classFile(WovenTarget.class));
        assertThat(woven).isNotNull();
        type = new DefiningLoader(getClass().getClassLoader()).define(WovenTarget.class.getName(), woven);
        CALLS.clear();
    }

    private Object call(Object target, String name, Object... args) throws Throwable {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + name);
    }

    private void set(Object target, String field, Object value) throws Exception {
        type.getField(field).set(target, value);
    }

    @Test
    void enterStateReachesTheReturnAndThrowHooksAndSkipReturnsAtOnce() throws Throwable {
        Object target = type.getConstructor().newInstance();
        call(target, "connect");
        set(target, "label", "skip");
        call(target, "connect");
        set(target, "label", null);
        call(target, "connect"); // throws inside: the hook swallows it
        assertThat(CALLS).containsExactly(
                "enter x 0", "returned state0 x 1",
                "enter skip 1",
                "enter null 1", "threw no label state1 2");
        assertThat(type.getField("count").get(target)).isEqualTo(2); // the skipped call did not count
        assertThat(call(target, "skippable", 0)).isEqualTo(0);
        assertThat(call(target, "skippable", 4)).isEqualTo(8);
    }

    @Test
    void theThrowHookReplacesTheResultOrLetsTheThrowableGoOn() throws Throwable {
        Object target = type.getConstructor().newInstance();
        assertThat(call(target, "read", false)).isEqualTo("r");
        assertThat(call(target, "read", true)).isEqualTo("from hook: read");
        assertThat(call(target, "readToo", false)).isEqualTo("r2");
        assertThatThrownBy(() -> call(target, "readToo", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other");
        assertThat(call(target, "sum", 5L, 1.5, 2)).isEqualTo(8L);
        assertThat(call(target, "sum", 5L, 1.5, -2)).isEqualTo(-1L); // a primitive result, unboxed
        assertThat(CALLS).containsExactly("read threw read", "read threw readToo", "sum threw 5 1.5 -2");
    }

    @Test
    void aFrameAtTheFirstInstructionAndTheMethodsOwnHandlerStillWork() throws Throwable {
        Object target = type.getConstructor().newInstance();
        assertThat(call(target, "spin", 9)).isEqualTo(5);
        assertThat(call(target, "spin", -3)).isEqualTo(-3); // thrown, answered with the state: the value on entry
        assertThat(call(target, "guarded", true)).isEqualTo("caught");
        assertThat(call(target, "guarded", false)).isEqualTo("ok");
        assertThat(CALLS).containsExactly("spin threw at -3 entered with -3");
    }

    @Test
    void theEnterHookReturnsAtOnceUnlessItSaysProceed() throws Throwable {
        Object target = type.getConstructor().newInstance();
        assertThat(call(target, "maybe", "short")).isEqualTo("cut");
        assertThat(call(target, "maybe", "long")).isEqualTo("ran:long");
        call(target, "maybeVoid", -5);
        call(target, "maybeVoid", 3);
        assertThat(type.getField("count").get(target)).isEqualTo(3);
        assertThat(call(target, "maybeLong", 0L)).isEqualTo(99L);
        assertThat(call(target, "maybeLong", 5L)).isEqualTo(6L);
    }

    @Test
    void argumentArraysAndReturnValueHooks() throws Throwable {
        Object target = type.getConstructor().newInstance();
        assertThat(call(target, "many", 1, 2L, "three")).isEqualTo("many");
        assertThat(CALLS).containsExactly("many [1, 2, three]");
        assertThat(call(target, "replaced", true)).isEqualTo("yes!true");
        assertThat(call(target, "replaced", false)).isEqualTo("no!false");
    }

    @Test
    void callSitesAreRewrittenInEveryMethodLambdasIncludedAndVoidCallsOnly() throws Throwable {
        Object target = type.getConstructor().newInstance();
        call(target, "logs");
        Object logger = type.getField("logger").get(target);
        call(null, "logsStatically", logger);
        assertThat(CALLS).containsExactly("info direct (Ljava/lang/String;)V from target",
                "info lambda {} 1 (Ljava/lang/String;Ljava/lang/Object;)V from target",
                "info static (Ljava/lang/String;)V from null");
        assertThat(((WovenTarget.Logger) logger).lines).as("only the call that returns a value reached the logger")
                .containsExactly("not void: left alone");
    }

    @Test
    void theEnterHookReplacesTheFirstArgument() throws Throwable {
        assertThat(call(type.getConstructor().newInstance(), "config", "a")).isEqualTo("config:replaced a");
    }

    @Test
    void constructorsTakeAReturnHookAndNothingIsAddedToTheClass() throws Throwable {
        type.getConstructor(int.class).newInstance(3);
        type.getConstructor().newInstance();
        assertThat(CALLS).containsExactly("constructed 3");
        assertThat(call(type.getConstructor().newInstance(), "notWoven")).isEqualTo("plain");
        assertThat(names(type.getDeclaredMethods())).isEqualTo(names(WovenTarget.class.getDeclaredMethods()));
        assertThat(fieldNames(type.getDeclaredFields())).isEqualTo(fieldNames(WovenTarget.class.getDeclaredFields()));
    }

    @Test
    void aClassWithoutTheMethodsIsLeftAsItIsAndAMissingFieldOrHookIsRefused() throws Exception {
        List<String> unmatched = new ArrayList<>();
        assertThat(new TypeWeave(WovenTarget.class.getName(), TypeWeaveTest.class,
                List.of(MethodWeave.methods("(J)", "connect", "reconnect").onThrow("connectThrew")),
                List.of(new CallWeave("no/Such", "call", "info"))).apply(classFile(WovenTarget.class), unmatched))
                .isNull();
        assertThat(unmatched).containsExactly("connect/reconnect(J)", "calls of no/Such.call");
        assertThatThrownBy(() -> new TypeWeave(WovenTarget.class.getName(), TypeWeaveTest.class,
                MethodWeave.methods("()", "connect").fields("socket").onThrow("connectThrew"))
                .apply(classFile(WovenTarget.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("socket");
        // a hook missing (or of another signature) would be a NoSuchMethodError inside the client: refused instead
        assertThatThrownBy(() -> new TypeWeave(WovenTarget.class.getName(), TypeWeaveTest.class,
                MethodWeave.methods("(Z)", "read").withArguments().onThrow("readThrew"))
                .apply(classFile(WovenTarget.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("readThrew(Ljava/lang/Throwable;Ljava/lang/Object;Z)");
    }

    @Test
    void aReturnHookWithNameAndBoxedArgumentsRunsBeforeEveryNormalReturnAndNeverOnAThrow() throws Throwable {
        TypeWeave hooks = new TypeWeave(HookedTarget.class.getName(), TypeWeaveTest.class,
                MethodWeave.methods("(I)", "select").withMethodName().withArgumentArray().onReturn("record"),
                MethodWeave.methods("(Ljava/lang/String;Ljava/lang/String;)", "auth").withMethodName().withArgumentArray()
                        .onReturn("record"),
                MethodWeave.methods("(JDZ)", "twice").withMethodName().withArgumentArray().onReturn("record"),
                MethodWeave.methods("(C)", "quiet").withMethodName().withArgumentArray().onReturn("record"));
        Class<?> hooked = new DefiningLoader(getClass().getClassLoader())
                .define(HookedTarget.class.getName(), hooks.apply(classFile(HookedTarget.class)));
        Object target = hooked.getConstructor().newInstance();
        RECORDED.clear();
        type = hooked;

        assertThat(call(target, "select", 3)).isEqualTo("OK3");
        assertThat(call(target, "auth", null, "pw")).isEqualTo("NOUSER");
        assertThat(call(target, "auth", "u", "pw")).isEqualTo("OK");
        assertThatThrownBy(() -> call(target, "auth", "u", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(call(target, "twice", 5L, 1.5, true)).isEqualTo(14L);
        call(target, "quiet", 'x');
        call(target, "quiet", 'a');
        assertThat(call(target, "notHooked")).isEqualTo("plain");

        assertThat(RECORDED).hasSize(6);
        assertThat(RECORDED.get(0)).containsExactly(target, "select", new Object[] {3});
        assertThat(RECORDED.get(1)).containsExactly(target, "auth", new Object[] {null, "pw"});
        assertThat(RECORDED.get(2)).containsExactly(target, "auth", new Object[] {"u", "pw"});
        assertThat(RECORDED.get(3)).containsExactly(target, "twice", new Object[] {5L, 1.5, true});
        assertThat(RECORDED.get(4)).containsExactly(target, "quiet", new Object[] {'x'});
        assertThat(RECORDED.get(5)).containsExactly(target, "quiet", new Object[] {'a'});
    }

    private static List<String> names(Method[] methods) {
        return Arrays.stream(methods).map(m -> m.getName() + Arrays.toString(m.getParameterTypes())).sorted()
                .collect(Collectors.toList());
    }

    private static List<String> fieldNames(Field[] fields) {
        return Arrays.stream(fields).map(Field::getName).sorted().collect(Collectors.toList());
    }
}
