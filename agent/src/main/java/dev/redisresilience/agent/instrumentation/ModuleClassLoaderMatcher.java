package dev.redisresilience.agent.instrumentation;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether a module applies to a class loader: it must see every {@link InstrumentationModule#requiredClasses()}
 * and none of its {@link InstrumentationModule#absentClasses()}, checked with {@code getResource} (no class is
 * loaded), cached weakly per loader. The bootstrap loader (null) never qualifies. Thread-safe; never throws.
 */
final class ModuleClassLoaderMatcher {
    private final InstrumentationModule module;
    private final Map<ClassLoader, Boolean> cache = new WeakHashMap<ClassLoader, Boolean>();

    ModuleClassLoaderMatcher(InstrumentationModule module) {
        this.module = module;
    }

    boolean matches(ClassLoader loader) {
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
