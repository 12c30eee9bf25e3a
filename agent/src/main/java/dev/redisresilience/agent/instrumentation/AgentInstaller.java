package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Builds the agent's ONE {@link ClientTransformer} from the instrumentation modules and, for {@code agentmain}
 * (and tests), installs it:
 * <ul>
 *   <li>no field or method is added to a client class (Byte Buddy decorates, the advice being visitors, and
 *       computes no method graph over the type hierarchy; weaves and return hooks change method bodies only),
 *       so already-loaded classes (attach) can be retransformed;</li>
 *   <li>every type outside {@code redis.clients.} and {@code io.lettuce.}, and every type of the bootstrap
 *       loader, is passed over by a name check, and so is every type no {@link TypeWeave},
 *       {@link TypeInstrumentation} or {@link ReturnHook} names;</li>
 *   <li>the modules' {@link TypeWeave}s, in a plain ASM pass (no Byte Buddy);</li>
 *   <li>per module, the class-loader matcher is checked before the type is read: a loader qualifies only
 *       if it has every {@link InstrumentationModule#requiredClasses()} and none of its
 *       {@link InstrumentationModule#absentClasses()} (checked with {@code getResource}, no class is
 *       loaded; cached per loader, weakly);</li>
 *   <li>per {@link TypeInstrumentation}, one {@link AdviceTransformer} applying the advice by binary name,
 *       located in the agent jar (never loaded by the agent), read and resolved once for every class loader
 *       (Byte Buddy itself is built at its first use, see {@link ClientTransformer});
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
    public static ClientTransformer transformer(File agentJar, List<InstrumentationModule> modules) {
        LazyByteBuddy byteBuddy = new LazyByteBuddy(agentJar);
        List<ClientTransformer.Entry> entries = new ArrayList<ClientTransformer.Entry>();
        List<ClientTransformer.HookEntry> hooks = new ArrayList<ClientTransformer.HookEntry>();
        List<ClientTransformer.WeaveEntry> weaves = new ArrayList<ClientTransformer.WeaveEntry>();
        for (InstrumentationModule module : modules) {
            ElementMatcher<ClassLoader> loaderMatcher = new ModuleClassLoaderMatcher(module);
            for (TypeWeave weave : module.weaves()) {
                weaves.add(new ClientTransformer.WeaveEntry(module.name(), loaderMatcher, weave));
            }
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                entries.add(new ClientTransformer.Entry(module.name(), loaderMatcher, ti.typeName(),
                        new AdviceTransformer(byteBuddy, ti)));
            }
            for (ReturnHook hook : module.returnHooks()) {
                hooks.add(new ClientTransformer.HookEntry(module.name(), loaderMatcher, hook));
            }
        }
        return new ClientTransformer(byteBuddy, entries, hooks, weaves);
    }

    /** Installs the transformer for {@code modules} on {@code inst} and retransforms the client classes loaded. */
    public static ClientTransformer install(Instrumentation inst, File agentJar, List<InstrumentationModule> modules) {
        return install(inst, agentJar, modules, true);
    }

    /**
     * As {@link #install(Instrumentation, File, List)}; {@code retransformLoaded} false skips the pass over
     * the classes already loaded. Undo with {@link ClientTransformer#reset}.
     */
    public static ClientTransformer install(Instrumentation inst, File agentJar, List<InstrumentationModule> modules,
                                            boolean retransformLoaded) {
        ClientTransformer transformer = transformer(agentJar, modules);
        inst.addTransformer(transformer, true);
        if (retransformLoaded) {
            transformer.retransformLoaded(inst);
        }
        return transformer;
    }

    /**
     * One type instrumentation's advice, then its call-site rewrite if it has one. The advice classes are read
     * and resolved once, at first use, and then reused for every class loader: they reference JDK and agent
     * types only. {@code @Advice.AssignReturned} is enabled with throwables suppressed. Thread-safe.
     */
    static final class AdviceTransformer implements AgentBuilder.Transformer {
        private final LazyByteBuddy byteBuddy;
        private final TypeInstrumentation instrumentation;
        private AsmVisitorWrapper advice; // guarded by this

        AdviceTransformer(LazyByteBuddy byteBuddy, TypeInstrumentation instrumentation) {
            this.byteBuddy = byteBuddy;
            this.instrumentation = instrumentation;
        }

        private synchronized AsmVisitorWrapper advice() throws IOException {
            if (advice == null) {
                ClassFileLocator adviceLocator = byteBuddy.adviceLocator();
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
            DynamicType.Builder<?> advised;
            try {
                advised = builder.visit(advice());
            } catch (IOException e) {
                throw new IllegalStateException("advice classes not readable: " + e, e);
            }
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
