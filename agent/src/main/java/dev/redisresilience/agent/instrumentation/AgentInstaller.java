package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Builds the agent's ONE {@link ClientTransformer} from the instrumentation modules and, for {@code agentmain}
 * (and tests), installs it:
 * <ul>
 *   <li>Byte Buddy decorates (the advice are visitors): no field or method is added, no method graph over
 *       the type hierarchy is computed, so already-loaded classes (attach) can be retransformed;</li>
 *   <li>every type outside {@code redis.clients.} and {@code io.lettuce.}, and every type of the bootstrap
 *       loader, is passed over by a name check before Byte Buddy sees it, and so is every type no
 *       {@link TypeInstrumentation} or {@link ReturnHook} names;</li>
 *   <li>per module, the class-loader matcher is checked before the type is described: a loader qualifies only
 *       if it has every {@link InstrumentationModule#requiredClasses()} and none of its
 *       {@link InstrumentationModule#absentClasses()} (checked with {@code getResource}, no class is
 *       loaded; cached per loader, weakly);</li>
 *   <li>per {@link TypeInstrumentation}, one {@link AdviceTransformer} applying the advice by binary name,
 *       located in the agent jar (never loaded by the agent), read and resolved once for every class loader;
 *       {@code @Advice.AssignReturned} is enabled with throwables suppressed; then its
 *       {@link TypeInstrumentation#visitor()}, if any (call-site rewrites, method bodies only);</li>
 *   <li>the modules' {@link ReturnHook}s, in a plain ASM pass of their own;</li>
 *   <li>{@link dev.redisresilience.agent.log.AgentLog} is bound to the class loader of each transformed
 *       client class; a transformation error is reported once per module and the class loads untransformed.</li>
 * </ul>
 * Byte Buddy's {@code AgentBuilder} itself is not used: its transformer generates a class of its own at
 * first use (about a third of the agent's start), for features this agent has no use for.
 */
public final class AgentInstaller {
    private AgentInstaller() { }

    /**
     * The transformer for {@code modules}, registered nowhere ({@code premain}: the {@link ClientClassGate}
     * hands client classes to it).
     *
     * @param agentJar the agent jar that holds the advice classes, or null to find them through this
     *                 class's loader (running from a class directory)
     */
    public static ClientTransformer transformer(File agentJar, List<InstrumentationModule> modules) throws IOException {
        ClassFileLocator adviceLocator = adviceLocator(agentJar);
        List<ClientTransformer.Entry> entries = new ArrayList<ClientTransformer.Entry>();
        List<ClientTransformer.HookEntry> hooks = new ArrayList<ClientTransformer.HookEntry>();
        for (InstrumentationModule module : modules) {
            ElementMatcher<ClassLoader> loaderMatcher = new ModuleClassLoaderMatcher(module);
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                entries.add(new ClientTransformer.Entry(module.name(), loaderMatcher, ti.typeName(),
                        new AdviceTransformer(adviceLocator, ti)));
            }
            addHooks(module, loaderMatcher, hooks);
        }
        return new ClientTransformer(byteBuddy(), entries, hooks, adviceLocator);
    }

    /**
     * The part of the transformer for {@code modules} that needs no Byte Buddy: their {@link ReturnHook}s
     * only. Cheap: what {@code premain}'s gate applies while the full transformer is being built.
     */
    public static ClientTransformer hooksOnly(List<InstrumentationModule> modules) {
        List<ClientTransformer.HookEntry> hooks = new ArrayList<ClientTransformer.HookEntry>();
        for (InstrumentationModule module : modules) {
            addHooks(module, new ModuleClassLoaderMatcher(module), hooks);
        }
        return new ClientTransformer(null, Collections.<ClientTransformer.Entry>emptyList(), hooks, null);
    }

    /** Internal names ({@code a/b/C}) of the classes {@code modules} advise: those {@link #hooksOnly} leaves out. */
    public static Set<String> adviceTypes(List<InstrumentationModule> modules) {
        Set<String> names = new HashSet<String>();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                names.add(ti.typeName().replace('.', '/'));
            }
        }
        return names;
    }

    private static void addHooks(InstrumentationModule module, ElementMatcher<ClassLoader> loaderMatcher,
                                 List<ClientTransformer.HookEntry> hooks) {
        for (ReturnHook hook : module.returnHooks()) {
            hooks.add(new ClientTransformer.HookEntry(module.name(), loaderMatcher, hook));
        }
    }

    private static ClassFileLocator adviceLocator(File agentJar) throws IOException {
        return agentJar != null
                ? ClassFileLocator.ForJarFile.of(agentJar)
                : ClassFileLocator.ForClassLoader.of(AgentInstaller.class.getClassLoader());
    }

    /** Installs the transformer for {@code modules} on {@code inst} and retransforms the client classes loaded. */
    public static ClientTransformer install(Instrumentation inst, File agentJar, List<InstrumentationModule> modules)
            throws IOException {
        return install(inst, agentJar, modules, true);
    }

    /**
     * As {@link #install(Instrumentation, File, List)}; {@code retransformLoaded} false skips the pass over
     * the classes already loaded. Undo with {@link ClientTransformer#reset}.
     */
    public static ClientTransformer install(Instrumentation inst, File agentJar, List<InstrumentationModule> modules,
                                            boolean retransformLoaded) throws IOException {
        ClientTransformer transformer = transformer(agentJar, modules);
        inst.addTransformer(transformer, true);
        if (retransformLoaded) {
            transformer.retransformLoaded(inst);
        }
        return transformer;
    }

    /**
     * Advice only: class format changes disabled (no implementation context, no bridges), the type's own
     * methods only, no validation.
     */
    static ByteBuddy byteBuddy() {
        return new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .with(VisibilityBridgeStrategy.Default.NEVER)
                .with(InstrumentedType.Factory.Default.FROZEN);
    }

    /**
     * One type instrumentation's advice, then its call-site rewrite if it has one. The advice classes are read
     * and resolved once, at first use, and then reused for every class loader: they reference JDK and agent
     * types only. {@code @Advice.AssignReturned} is enabled with throwables suppressed. Thread-safe.
     */
    static final class AdviceTransformer implements AgentBuilder.Transformer {
        private final ClassFileLocator adviceLocator;
        private final TypeInstrumentation instrumentation;
        private AsmVisitorWrapper advice; // guarded by this

        AdviceTransformer(ClassFileLocator adviceLocator, TypeInstrumentation instrumentation) {
            this.adviceLocator = adviceLocator;
            this.instrumentation = instrumentation;
        }

        private synchronized AsmVisitorWrapper advice() {
            if (advice == null) {
                ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
                TypePool pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(new ClassFileLocator.Compound(
                        adviceLocator, ClassFileLocator.ForClassLoader.of(agentLoader)), agentLoader);
                Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                        .with(new Advice.AssignReturned.Factory().withSuppressed(Throwable.class));
                AsmVisitorWrapper.ForDeclaredMethods methods = new AsmVisitorWrapper.ForDeclaredMethods();
                for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
                    methods = methods.invokable(e.getKey(), mapping.to(pool.describe(e.getValue()).resolve(), adviceLocator));
                }
                advice = methods;
            }
            return advice;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain pd) {
            DynamicType.Builder<?> advised = builder.visit(advice());
            AsmVisitorWrapper visitor = instrumentation.visitor();
            return visitor == null ? advised : advised.visit(visitor);
        }
    }

    /** Class-loader-first module selection, cached per loader. */
    static final class ModuleClassLoaderMatcher extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
        private final InstrumentationModule module;
        private final Map<ClassLoader, Boolean> cache = new WeakHashMap<ClassLoader, Boolean>();

        ModuleClassLoaderMatcher(InstrumentationModule module) {
            this.module = module;
        }

        @Override
        public boolean matches(ClassLoader loader) {
            if (loader == null) {
                return false;
            }
            synchronized (cache) {
                Boolean cached = cache.get(loader);
                if (cached != null) {
                    return cached;
                }
            }
            boolean result;
            try {
                result = qualifies(loader);
            } catch (Throwable t) {
                result = false;
            }
            synchronized (cache) {
                cache.put(loader, result);
            }
            return result;
        }

        private boolean qualifies(ClassLoader loader) {
            for (String c : module.requiredClasses()) {
                if (loader.getResource(resourceName(c)) == null) {
                    return false;
                }
            }
            for (String c : module.absentClasses()) {
                if (loader.getResource(resourceName(c)) != null) {
                    return false;
                }
            }
            return true;
        }

        private static String resourceName(String binaryName) {
            return binaryName.replace('.', '/') + ".class";
        }
    }
}
