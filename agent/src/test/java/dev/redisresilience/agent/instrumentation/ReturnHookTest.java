package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.instrumentation.hooked.HookedTarget;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@link ReturnHook} rewrites a real class file; the rewritten class is defined, verified and run. */
public class ReturnHookTest {
    /** Calls recorded by {@link #record}: self, method, arguments. */
    static final List<Object[]> CALLS = new ArrayList<>();

    public static void record(Object self, String method, Object[] args) {
        CALLS.add(new Object[] {self, method, args});
    }

    /** Defines the rewritten {@link HookedTarget} alone; everything else (this test) comes from the parent. */
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

    @Test
    void theHookRunsBeforeEveryNormalReturnWithTheArgumentsBoxedAndNeverOnAThrow() throws Exception {
        ReturnHook hook = new ReturnHook(HookedTarget.class.getName(), new LinkedHashSet<>(Arrays.asList(
                "select(I)Ljava/lang/String;", "auth(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                "twice(JDZ)J", "quiet(C)V")), ReturnHookTest.class, "record");
        byte[] rewritten = hook.apply(classFile(HookedTarget.class));
        assertThat(rewritten).isNotNull();
        Class<?> type = new DefiningLoader(getClass().getClassLoader()).define(HookedTarget.class.getName(), rewritten);
        Object target = type.getConstructor().newInstance();
        CALLS.clear();

        assertThat(type.getMethod("select", int.class).invoke(target, 3)).isEqualTo("OK3");
        assertThat(type.getMethod("auth", String.class, String.class).invoke(target, null, "pw")).isEqualTo("NOUSER");
        assertThat(type.getMethod("auth", String.class, String.class).invoke(target, "u", "pw")).isEqualTo("OK");
        Method auth = type.getMethod("auth", String.class, String.class);
        assertThatThrownBy(() -> auth.invoke(target, "u", "")).isInstanceOf(InvocationTargetException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(type.getMethod("twice", long.class, double.class, boolean.class).invoke(null, 5L, 1.5, true))
                .isEqualTo(14L);
        type.getMethod("quiet", char.class).invoke(target, 'x');
        type.getMethod("quiet", char.class).invoke(target, 'a');
        assertThat(type.getMethod("notHooked").invoke(target)).isEqualTo("plain");

        assertThat(CALLS).hasSize(6);
        assertThat(CALLS.get(0)).containsExactly(target, "select", new Object[] {3});
        assertThat(CALLS.get(1)).containsExactly(target, "auth", new Object[] {null, "pw"});
        assertThat(CALLS.get(2)).containsExactly(target, "auth", new Object[] {"u", "pw"});
        assertThat(CALLS.get(3)).containsExactly(null, "twice", new Object[] {5L, 1.5, true});
        assertThat(CALLS.get(4)).containsExactly(target, "quiet", new Object[] {'x'});
        assertThat(CALLS.get(5)).containsExactly(target, "quiet", new Object[] {'a'});
    }

    @Test
    void aClassWithoutTheMethodsIsLeftAsItIs() throws Exception {
        ReturnHook hook = new ReturnHook(HookedTarget.class.getName(),
                new LinkedHashSet<>(Arrays.asList("select(J)Ljava/lang/String;")), ReturnHookTest.class, "record");
        assertThat(hook.apply(classFile(HookedTarget.class))).isNull();
    }
}
