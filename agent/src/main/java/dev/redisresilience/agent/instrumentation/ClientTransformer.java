package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;

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

/**
 * The agent's class file transformer (built by {@link AgentInstaller}). A client class (by name, never of the
 * bootstrap loader) that a module names, and whose loader the module's class-loader matcher accepts, gets its
 * {@link TypeWeave}s (its early ones last), each one plain ASM pass. Every other class is passed over
 * after a name lookup. A transformation never runs inside another on the same thread. Any error: reported once
 * per module, the class loads untransformed. Never throws.
 */
public final class ClientTransformer implements ClassFileTransformer {

    /** One type weave of one module. */
    static final class WeaveEntry {
        final String module;
        final ModuleClassLoaderMatcher loaderMatcher;
        final TypeWeave weave;

        WeaveEntry(String module, ModuleClassLoaderMatcher loaderMatcher, TypeWeave weave) {
            this.module = module;
            this.loaderMatcher = loaderMatcher;
            this.weave = weave;
        }
    }

    private final Map<String, List<WeaveEntry>> weaves;
    private final Map<String, List<WeaveEntry>> earlyWeaves;
    /** False for the early transformer of the start: see {@link #early()}. */
    private final boolean bindsLog;
    private final ThreadLocal<Boolean> transforming = new ThreadLocal<Boolean>();

    ClientTransformer(List<WeaveEntry> weaves, List<WeaveEntry> earlyWeaves) {
        this.weaves = byName(weaves);
        this.earlyWeaves = byName(earlyWeaves);
        this.bindsLog = true;
    }

    private ClientTransformer(ClientTransformer full) {
        this.weaves = Collections.emptyMap();
        this.earlyWeaves = full.earlyWeaves;
        this.bindsLog = false;
    }

    /**
     * The part of this transformer that the agent's runtime need not have started for, for the start of a
     * {@code premain}: the modules' {@link InstrumentationModule#earlyWeaves()} only (their hooks record, the
     * others act), and it never binds the log (the agent's startup line must come first).
     */
    public ClientTransformer early() {
        return new ClientTransformer(this);
    }

    /** Internal names ({@code a/b/C}) of the classes that need more than {@link #early()}: the woven ones. */
    public Set<String> heldTypes() {
        Set<String> names = new HashSet<String>();
        for (String typeName : weaves.keySet()) {
            names.add(typeName.replace('.', '/'));
        }
        return names;
    }

    private static Map<String, List<WeaveEntry>> byName(List<WeaveEntry> entries) {
        Map<String, List<WeaveEntry>> map = new HashMap<String, List<WeaveEntry>>();
        for (WeaveEntry e : entries) {
            List<WeaveEntry> same = map.get(e.weave.typeName());
            if (same == null) {
                same = new ArrayList<WeaveEntry>(1);
                map.put(e.weave.typeName(), same);
            }
            same.add(e);
        }
        return map;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || !ClientClassGate.isClientClass(className)) {
            return null;
        }
        String typeName = className.replace('/', '.');
        List<WeaveEntry> woven = weaves.get(typeName);
        List<WeaveEntry> early = earlyWeaves.get(typeName);
        if (woven == null && early == null) {
            return null;
        }
        if (transforming.get() != null) {
            return null;
        }
        transforming.set(Boolean.TRUE);
        try {
            byte[] bytes = woven == null ? null : weave(woven, loader, classfileBuffer);
            if (early != null) {
                byte[] withEarly = weave(early, loader, bytes != null ? bytes : classfileBuffer);
                if (withEarly != null) {
                    bytes = withEarly;
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
                List<String> unmatched = new ArrayList<String>(0);
                byte[] woven = e.weave.apply(result != null ? result : classfile, unmatched);
                if (woven != null) {
                    result = woven;
                }
                if (!unmatched.isEmpty()) {
                    reportUnmatched(e, unmatched);
                }
            } catch (Throwable t) {
                AgentLog.instrumentationFailure("module " + e.module, t);
            }
        }
        return result;
    }

    /** A client version whose class lacks what a weave expects: said once, the rest of the weave still applies. */
    private static void reportUnmatched(WeaveEntry e, List<String> unmatched) {
        AgentLog.warnOnce("weave:" + e.module + ":" + e.weave.typeName(), "instrumentation", "module " + e.module
                + ": " + e.weave.typeName() + " of this client version has no " + unmatched
                + "; the agent's hooks there are inactive (a client version the agent was not tested with?)");
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
        return appliesTo(loader, weaves.get(typeName)) || appliesTo(loader, earlyWeaves.get(typeName));
    }

    private static boolean appliesTo(ClassLoader loader, List<WeaveEntry> entries) {
        if (entries != null) {
            for (WeaveEntry e : entries) {
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
