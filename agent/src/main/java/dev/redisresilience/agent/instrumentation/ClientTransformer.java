package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import net.bytebuddy.ByteBuddy;
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
import java.util.List;
import java.util.Map;

/**
 * The agent's class file transformer (built by {@link AgentInstaller}): what Byte Buddy's {@code AgentBuilder}
 * does for a type, reduced to what this agent uses. A client class (by name, never of the bootstrap loader)
 * is described from its class file through a type pool (nothing is loaded), matched against each module's
 * class-loader matcher, then type matcher; the advice of every match is applied to one decorating builder.
 * A transformation never runs inside another on the same thread. Any error: reported once per module,
 * the class loads untransformed. Never throws.
 */
public final class ClientTransformer implements ClassFileTransformer {

    /** One type instrumentation of one module. */
    static final class Entry {
        final String module;
        final ElementMatcher<ClassLoader> loaderMatcher;
        final ElementMatcher<? super TypeDescription> typeMatcher;
        final AgentBuilder.Transformer transformer;

        Entry(String module, ElementMatcher<ClassLoader> loaderMatcher,
              ElementMatcher<? super TypeDescription> typeMatcher, AgentBuilder.Transformer transformer) {
            this.module = module;
            this.loaderMatcher = loaderMatcher;
            this.typeMatcher = typeMatcher;
            this.transformer = transformer;
        }
    }

    private final ByteBuddy byteBuddy;
    private final List<Entry> entries;
    private final ClassFileLocator adviceLocator;
    private final ThreadLocal<Boolean> transforming = new ThreadLocal<Boolean>();

    ClientTransformer(ByteBuddy byteBuddy, List<Entry> entries, ClassFileLocator adviceLocator) {
        this.byteBuddy = byteBuddy;
        this.entries = entries;
        this.adviceLocator = adviceLocator;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || !ClientClassGate.isClientClass(className)) {
            return null;
        }
        return apply(entries, loader, className.replace('/', '.'), protectionDomain, classfileBuffer, true);
    }

    private byte[] apply(List<Entry> candidates, ClassLoader loader, String typeName, ProtectionDomain protectionDomain,
                         byte[] classfileBuffer, boolean report) {
        if (transforming.get() != null) {
            return null;
        }
        transforming.set(Boolean.TRUE);
        String module = null;
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(
                    ClassFileLocator.Simple.of(typeName, classfileBuffer), ClassFileLocator.ForClassLoader.of(loader));
            TypePool pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader, typeName);
            TypeDescription type = pool.describe(typeName).resolve();
            DynamicType.Builder<?> builder = null;
            for (Entry e : candidates) {
                if (e.loaderMatcher.matches(loader) && e.typeMatcher.matches(type)) {
                    if (builder == null) {
                        builder = byteBuddy.decorate(type, locator);
                    }
                    module = e.module;
                    builder = e.transformer.transform(builder, type, loader, null, protectionDomain);
                }
            }
            if (builder == null) {
                return null;
            }
            byte[] transformed = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
            if (report) {
                AgentLog.bindTo(loader);
            }
            return transformed;
        } catch (Throwable t) {
            if (report) {
                AgentLog.instrumentationFailure(module != null ? "module " + module : "agent builder", t);
            }
            return null;
        } finally {
            transforming.remove();
        }
    }

    /**
     * Runs one transformation of a small class of the agent jar with an advice of each kind the modules
     * use, and drops the result: the classes and first-use initialisation of Byte Buddy's transformation
     * path are then done before (or while) the first client class is transformed. True when the class was
     * transformed. Never throws.
     */
    public boolean warmUp() {
        try {
            String target = WarmUpTarget.class.getName();
            byte[] bytes = adviceLocator.locate(target).resolve();
            Map<ElementMatcher<? super MethodDescription>, String> advice = Collections
                    .<ElementMatcher<? super MethodDescription>, String>singletonMap(
                            ElementMatchers.named("call"), WarmUpTarget.Hooks.class.getName());
            List<Entry> warmUp = Collections.singletonList(new Entry("warm-up", ElementMatchers.<ClassLoader>any(),
                    ElementMatchers.named(target), AgentInstaller.forAdvice(adviceLocator, advice)));
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
        TypeDescription type = null;
        for (Entry e : entries) {
            if (e.loaderMatcher.matches(loader)) {
                if (type == null) {
                    type = AgentBuilder.PoolStrategy.Default.FAST
                            .typePool(ClassFileLocator.ForClassLoader.of(loader), loader, typeName)
                            .describe(typeName).resolve();
                }
                if (e.typeMatcher.matches(type)) {
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
