package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's class file transformer (built by {@link AgentInstaller}). A client class (by name, never of the
 * bootstrap loader) that a module names, and whose loader the module's class-loader matcher accepts, gets:
 * its {@link TypeWeave}s (plain ASM); the advice of its {@link TypeInstrumentation}s (what Byte Buddy's
 * {@code AgentBuilder} does for a type, reduced to what this agent uses: described from its class file through
 * a type pool, nothing loaded, one decorating builder); then its {@link ReturnHook}s. Every other class is
 * passed over after a name lookup. Byte Buddy is built at its first use, and warmed up on a thread of its own
 * as soon as a class of a family it advises (e.g. {@code io/lettuce/}) passes by. A transformation never runs
 * inside another on the same thread. Any error: reported once per module, the class loads untransformed.
 * Never throws.
 */
public final class ClientTransformer implements ClassFileTransformer {

    /** One type instrumentation of one module. */
    static final class Entry {
        final String module;
        final ElementMatcher<ClassLoader> loaderMatcher;
        final String typeName;
        final AgentInstaller.AdviceTransformer transformer;

        Entry(String module, ElementMatcher<ClassLoader> loaderMatcher, String typeName,
              AgentInstaller.AdviceTransformer transformer) {
            this.module = module;
            this.loaderMatcher = loaderMatcher;
            this.typeName = typeName;
            this.transformer = transformer;
        }
    }

    /** One return hook of one module. */
    static final class HookEntry {
        final String module;
        final ElementMatcher<ClassLoader> loaderMatcher;
        final ReturnHook hook;

        HookEntry(String module, ElementMatcher<ClassLoader> loaderMatcher, ReturnHook hook) {
            this.module = module;
            this.loaderMatcher = loaderMatcher;
            this.hook = hook;
        }
    }

    /** One type weave of one module. */
    static final class WeaveEntry {
        final String module;
        final ElementMatcher<ClassLoader> loaderMatcher;
        final TypeWeave weave;

        WeaveEntry(String module, ElementMatcher<ClassLoader> loaderMatcher, TypeWeave weave) {
            this.module = module;
            this.loaderMatcher = loaderMatcher;
            this.weave = weave;
        }
    }

    /** Name of the daemon thread that warms Byte Buddy up. */
    public static final String WARM_UP_THREAD = "redis-resilience-start-warm-up";

    private final LazyByteBuddy byteBuddy;
    private final Map<String, List<Entry>> entries;
    private final Map<String, List<HookEntry>> hooks;
    private final Map<String, List<WeaveEntry>> weaves;
    /** Internal-name prefixes ({@code io/lettuce/}) of the classes advised with Byte Buddy. */
    private final Set<String> adviceFamilies;
    private final AtomicBoolean warmUpStarted;
    /** False for the early transformer of the start: see {@link #early()}. */
    private final boolean bindsLog;
    private final ThreadLocal<Boolean> transforming = new ThreadLocal<Boolean>();

    ClientTransformer(LazyByteBuddy byteBuddy, List<Entry> entries, List<HookEntry> hooks, List<WeaveEntry> weaves) {
        this.byteBuddy = byteBuddy;
        this.entries = new HashMap<String, List<Entry>>();
        this.adviceFamilies = new HashSet<String>();
        for (Entry e : entries) {
            byName(this.entries, e.typeName, e);
            adviceFamilies.add(family(e.typeName.replace('.', '/')));
        }
        this.hooks = new HashMap<String, List<HookEntry>>();
        for (HookEntry e : hooks) {
            byName(this.hooks, e.hook.typeName(), e);
        }
        this.weaves = new HashMap<String, List<WeaveEntry>>();
        for (WeaveEntry e : weaves) {
            byName(this.weaves, e.weave.typeName(), e);
        }
        this.warmUpStarted = new AtomicBoolean();
        this.bindsLog = true;
    }

    private ClientTransformer(ClientTransformer full) {
        this.byteBuddy = full.byteBuddy;
        this.entries = Collections.emptyMap();
        this.hooks = full.hooks;
        this.weaves = Collections.emptyMap();
        this.adviceFamilies = full.adviceFamilies;
        this.warmUpStarted = full.warmUpStarted;
        this.bindsLog = false;
    }

    /**
     * The part of this transformer that needs neither Byte Buddy nor the agent's runtime, for the start:
     * the {@link ReturnHook}s only, and it never binds the log (the agent's startup line must come first).
     * It starts the same warm-up as this transformer.
     */
    public ClientTransformer early() {
        return new ClientTransformer(this);
    }

    /** Internal names ({@code a/b/C}) of the classes that need more than {@link #early()}: woven or advised. */
    public Set<String> heldTypes() {
        Set<String> names = new HashSet<String>();
        for (String typeName : entries.keySet()) {
            names.add(typeName.replace('.', '/'));
        }
        for (String typeName : weaves.keySet()) {
            names.add(typeName.replace('.', '/'));
        }
        return names;
    }

    /** True once Byte Buddy was built (by an advised class or the warm-up). */
    boolean byteBuddyBuilt() {
        return byteBuddy.built();
    }

    /** The package two levels deep: {@code io/lettuce/core/X} gives {@code io/lettuce/}. */
    private static String family(String internalName) {
        int first = internalName.indexOf('/');
        int second = first < 0 ? -1 : internalName.indexOf('/', first + 1);
        return second < 0 ? internalName : internalName.substring(0, second + 1);
    }

    private static <T> void byName(Map<String, List<T>> map, String typeName, T t) {
        List<T> same = map.get(typeName);
        if (same == null) {
            same = new ArrayList<T>(1);
            map.put(typeName, same);
        }
        same.add(t);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || !ClientClassGate.isClientClass(className)) {
            return null;
        }
        if (!warmUpStarted.get() && !adviceFamilies.isEmpty() && className.indexOf('/') > 0
                && adviceFamilies.contains(family(className))) {
            startWarmUp();
        }
        String typeName = className.replace('/', '.');
        List<WeaveEntry> woven = weaves.get(typeName);
        List<Entry> advised = entries.get(typeName);
        List<HookEntry> hooked = hooks.get(typeName);
        if (woven == null && advised == null && hooked == null) {
            return null;
        }
        if (transforming.get() != null) {
            return null;
        }
        transforming.set(Boolean.TRUE);
        try {
            byte[] bytes = woven == null ? null : weave(woven, loader, classfileBuffer);
            if (advised != null) {
                byte[] withAdvice = apply(advised, loader, typeName, protectionDomain,
                        bytes != null ? bytes : classfileBuffer, true);
                if (withAdvice != null) {
                    bytes = withAdvice;
                }
            }
            if (hooked != null) {
                byte[] withHooks = hook(hooked, loader, bytes != null ? bytes : classfileBuffer);
                if (withHooks != null) {
                    bytes = withHooks;
                }
            }
            if (bytes != null && bindsLog) {
                // not the early transformer of the start: the agent's startup line must come before the log is
                // bound to the application's logging (see AgentStarter)
                AgentLog.bindTo(loader);
            }
            return bytes;
        } finally {
            transforming.remove();
        }
    }

    private static byte[] weave(List<WeaveEntry> candidates, ClassLoader loader, byte[] classfile) {
        byte[] result = null;
        for (WeaveEntry e : candidates) {
            if (!e.loaderMatcher.matches(loader)) {
                continue;
            }
            try {
                byte[] woven = e.weave.apply(result != null ? result : classfile);
                if (woven != null) {
                    result = woven;
                }
            } catch (Throwable t) {
                AgentLog.instrumentationFailure("module " + e.module, t);
            }
        }
        return result;
    }

    private static byte[] hook(List<HookEntry> candidates, ClassLoader loader, byte[] classfile) {
        byte[] result = null;
        for (HookEntry e : candidates) {
            if (!e.loaderMatcher.matches(loader)) {
                continue;
            }
            try {
                byte[] hooked = e.hook.apply(result != null ? result : classfile);
                if (hooked != null) {
                    result = hooked;
                }
            } catch (Throwable t) {
                AgentLog.instrumentationFailure("module " + e.module, t);
            }
        }
        return result;
    }

    private byte[] apply(List<Entry> candidates, ClassLoader loader, String typeName, ProtectionDomain protectionDomain,
                         byte[] classfileBuffer, boolean report) {
        String module = null;
        try {
            ClassFileLocator locator = null;
            TypePool pool = null;
            TypeDescription type = null;
            DynamicType.Builder<?> builder = null;
            for (Entry e : candidates) {
                if (e.loaderMatcher.matches(loader)) {
                    if (builder == null) {
                        locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classfileBuffer),
                                ClassFileLocator.ForClassLoader.of(loader));
                        pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader, typeName);
                        type = pool.describe(typeName).resolve();
                        builder = byteBuddy.byteBuddy().decorate(type, locator);
                    }
                    module = e.module;
                    builder = e.transformer.transform(builder, type, loader, null, protectionDomain);
                }
            }
            if (builder == null) {
                return null;
            }
            return builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
        } catch (Throwable t) {
            if (report) {
                AgentLog.instrumentationFailure(module != null ? "module " + module : "agent builder", t);
            }
            return null;
        }
    }

    /** Starts {@link #warmUp()} on a daemon thread of its own, once per transformer (and its early part). */
    private void startWarmUp() {
        if (!warmUpStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            Thread warmUp = new Thread(new Runnable() {
                @Override
                public void run() {
                    warmUp();
                }
            }, WARM_UP_THREAD);
            warmUp.setDaemon(true); // speed only: the JVM need not wait for it
            warmUp.start();
        } catch (Throwable ignored) {
            // speed only
        }
    }

    /**
     * Runs one transformation of a small class of the agent jar with an advice of each kind the modules
     * use, and drops the result: the classes and first-use initialisation of Byte Buddy's transformation
     * path are then done before (or while) the first advised client class is transformed. True when the
     * class was transformed. Never throws.
     */
    public boolean warmUp() {
        try {
            final String target = WarmUpTarget.class.getName();
            byte[] bytes = byteBuddy.adviceLocator().locate(target).resolve();
            TypeInstrumentation hooks = new TypeInstrumentation() {
                @Override
                public String typeName() {
                    return target;
                }

                @Override
                public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                    return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
                            ElementMatchers.named("call"), WarmUpTarget.Hooks.class.getName());
                }
            };
            List<Entry> warmUp = Collections.singletonList(new Entry("warm-up", ElementMatchers.<ClassLoader>any(),
                    target, new AgentInstaller.AdviceTransformer(byteBuddy, hooks)));
            return apply(warmUp, WarmUpTarget.class.getClassLoader(), target, null, bytes, false) != null;
        } catch (Throwable ignored) {
            return false; // only the first transformation's speed is at stake
        }
    }

    /** Retransforms the loaded client classes this transformer applies to (attach). Never throws. */
    void retransformLoaded(Instrumentation inst) {
        retransform(inst, applicable(inst));
    }

    /** Unregisters this transformer and restores the classes it applies to. */
    public void reset(Instrumentation inst) {
        List<Class<?>> classes = applicable(inst);
        inst.removeTransformer(this);
        retransform(inst, classes);
    }

    private List<Class<?>> applicable(Instrumentation inst) {
        List<Class<?>> out = new ArrayList<Class<?>>();
        try {
            for (Class<?> c : inst.getAllLoadedClasses()) {
                try {
                    ClassLoader loader = c.getClassLoader();
                    String name = c.getName();
                    if (loader != null && ClientClassGate.isClientClass(name) && inst.isModifiableClass(c)
                            && appliesTo(loader, name)) {
                        out.add(c);
                    }
                } catch (Throwable ignored) {
                    // not ours to retransform
                }
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure("retransformation", t);
        }
        return out;
    }

    private boolean appliesTo(ClassLoader loader, String typeName) {
        List<Entry> advised = entries.get(typeName);
        if (advised != null) {
            for (Entry e : advised) {
                if (e.loaderMatcher.matches(loader)) {
                    return true;
                }
            }
        }
        List<HookEntry> hooked = hooks.get(typeName);
        if (hooked != null) {
            for (HookEntry e : hooked) {
                if (e.loaderMatcher.matches(loader)) {
                    return true;
                }
            }
        }
        List<WeaveEntry> woven = weaves.get(typeName);
        if (woven != null) {
            for (WeaveEntry e : woven) {
                if (e.loaderMatcher.matches(loader)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void retransform(Instrumentation inst, List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable all) {
            for (Class<?> c : classes) { // one at a time: one class refused does not keep the others as they are
                try {
                    inst.retransformClasses(c);
                } catch (Throwable t) {
                    AgentLog.instrumentationFailure("retransformation", t);
                }
            }
        }
    }
}
