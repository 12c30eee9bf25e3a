package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Installs the agent's ONE {@link AgentBuilder}:
 * <ul>
 *   <li>{@code disableClassFormatChanges()} and {@code RETRANSFORMATION}: no fields or methods are added,
 *       so already-loaded classes (attach) can be retransformed;</li>
 *   <li>ignore matcher: every type outside {@code redis.clients.} and {@code io.lettuce.}, and every type
 *       of the bootstrap loader, is ignored by a name check before anything else;</li>
 *   <li>per module, the class-loader matcher is checked before the type matcher: a loader qualifies only
 *       if it has every {@link InstrumentationModule#requiredClasses()} and none of its
 *       {@link InstrumentationModule#absentClasses()} (checked with {@code getResource}, no class is
 *       loaded; cached per loader, weakly);</li>
 *   <li>per {@link TypeInstrumentation}, one {@link AgentBuilder.Transformer.ForAdvice} applying the advice
 *       by binary name, located in the agent jar (never loaded by the agent); {@code @Advice.AssignReturned}
 *       is enabled with throwables suppressed; then its {@link TypeInstrumentation#visitor()}, if any
 *       (call-site rewrites, method bodies only);</li>
 *   <li>a listener that binds {@link AgentLog} to the class loader of each transformed client class and
 *       reports a transformation error once per module; the class then loads untransformed.</li>
 * </ul>
 */
public final class AgentInstaller {
    private static final ThreadLocal<String> CURRENT_MODULE = new ThreadLocal<String>();
    /**
     * Byte Buddy's switch for its Nexus (self-injection, which we never use: class format changes are
     * disabled). Without it, building an AgentBuilder initialises Byte Buddy's Unsafe-based class injector,
     * which makes JDK 24+ print "terminally deprecated method in sun.misc.Unsafe" warnings. The shade plugin
     * relocates this literal along with Byte Buddy, so it never affects an application's own Byte Buddy.
     */
    private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

    private AgentInstaller() { }

    /**
     * Installs the builder for {@code modules} on {@code inst}.
     *
     * @param agentJar the agent jar that holds the advice classes, or null to find them through this
     *                 class's loader (running from a class directory)
     */
    public static ResettableClassFileTransformer install(Instrumentation inst, File agentJar,
                                                         List<InstrumentationModule> modules) throws IOException {
        return install(inst, agentJar, modules, true);
    }

    /**
     * As {@link #install(Instrumentation, File, List)}; {@code retransformLoaded} false skips the pass over
     * classes already loaded, which at premain holds no client class yet and only costs startup time.
     */
    public static ResettableClassFileTransformer install(Instrumentation inst, File agentJar,
                                                         List<InstrumentationModule> modules,
                                                         boolean retransformLoaded) throws IOException {
        ClassFileLocator adviceLocator = agentJar != null
                ? ClassFileLocator.ForJarFile.of(agentJar)
                : ClassFileLocator.ForClassLoader.of(AgentInstaller.class.getClassLoader());

        String previous = System.getProperty(NEXUS_DISABLED);
        System.setProperty(NEXUS_DISABLED, "true");
        try {
            return build(adviceLocator, modules, retransformLoaded).installOn(inst);
        } finally {
            if (previous == null) {
                System.clearProperty(NEXUS_DISABLED);
            } else {
                System.setProperty(NEXUS_DISABLED, previous);
            }
        }
    }

    private static AgentBuilder build(ClassFileLocator adviceLocator, List<InstrumentationModule> modules,
                                      boolean retransformLoaded) {
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(retransformLoaded ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new ReportingListener())
                .ignore(new ClientPackagesOnly());

        for (InstrumentationModule module : modules) {
            ElementMatcher<ClassLoader> loaderMatcher = new ModuleClassLoaderMatcher(module);
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                AgentBuilder.Transformer.ForAdvice forAdvice = new AgentBuilder.Transformer.ForAdvice(
                        Advice.withCustomMapping().with(
                                new Advice.AssignReturned.Factory().withSuppressed(Throwable.class)))
                        .include(adviceLocator);
                for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : ti.advice().entrySet()) {
                    forAdvice = forAdvice.advice(e.getKey(), e.getValue());
                }
                AgentBuilder.Identified.Extendable typeBuilder = builder
                        .type(ElementMatchers.failSafe(ti.typeMatcher()), loaderMatcher)
                        .transform(new ModuleTransformer(module.name(), forAdvice));
                final AsmVisitorWrapper visitor = ti.visitor();
                if (visitor != null) {
                    typeBuilder = typeBuilder.transform(new ModuleTransformer(module.name(), new AgentBuilder.Transformer() {
                        @Override
                        public DynamicType.Builder<?> transform(DynamicType.Builder<?> b, TypeDescription type,
                                                                ClassLoader loader, JavaModule m, ProtectionDomain pd) {
                            return b.visit(visitor);
                        }
                    }));
                }
                builder = typeBuilder;
            }
        }
        return builder;
    }

    /** Ignores everything that is not a Jedis or Lettuce type, and the bootstrap loader. */
    static final class ClientPackagesOnly implements AgentBuilder.RawMatcher {
        @Override
        public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module,
                               Class<?> classBeingRedefined, ProtectionDomain pd) {
            if (loader == null) {
                return true;
            }
            String name = type.getName();
            return !(name.startsWith("redis.clients.") || name.startsWith("io.lettuce."));
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

    /** Remembers which module is transforming on this thread, for error reports. */
    static final class ModuleTransformer implements AgentBuilder.Transformer {
        private final String moduleName;
        private final AgentBuilder.Transformer delegate;

        ModuleTransformer(String moduleName, AgentBuilder.Transformer delegate) {
            this.moduleName = moduleName;
            this.delegate = delegate;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain pd) {
            CURRENT_MODULE.set(moduleName);
            return delegate.transform(builder, type, loader, module, pd);
        }
    }

    /** Binds logging to client loaders; reports errors once per module; the app keeps running. */
    static final class ReportingListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            AgentLog.bindTo(loader);
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            String m = CURRENT_MODULE.get();
            AgentLog.instrumentationFailure(m != null ? "module " + m : "agent builder", t);
        }

        @Override
        public void onComplete(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
            CURRENT_MODULE.remove();
        }
    }
}
