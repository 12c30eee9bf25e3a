package dev.redisresilience.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry ({@code Premain-Class} and {@code Agent-Class}). This class is loaded by the
 * system class loader and references JDK types only. It appends the agent jar to the bootstrap class loader
 * search and hands over, by reflection, to {@link AgentStarter} loaded from the bootstrap loader, so every
 * core class (config, log, engine, endpoint, reconcile, shaded ASM) is defined exactly once,
 * by the bootstrap loader, and is visible to every class loader that loads a Redis client.
 *
 * <p>Before the append, the configuration is validated by {@link AgentStarter#check(String)} loaded in a
 * throwaway class loader (parent: bootstrap) that is dropped right after, so with {@code enabled=false} or
 * a bad configuration the JVM is left exactly as it was (no bootstrap append, no JVM CDS warning), and the
 * classes that stay loaded are defined once, by the bootstrap loader. When nothing configures the agent (no
 * agent argument, no {@code redis.resilience.*} property, no {@code REDIS_RESILIENCE_*} variable) there is
 * nothing to validate and the pre-flight (about 20 ms of the JVM's start) is skipped: the defaults are valid.
 *
 * <p>Never throws: any failure becomes one stderr line and the application runs untouched.
 */
public final class ResilienceAgent {
    private static final String STARTER = "dev.redisresilience.agent.AgentStarter";
    /** {@code AgentConfig.SYSPROP_PREFIX} and {@code ENV_PREFIX}; repeated: this class must not load AgentConfig. */
    static final String SYSPROP_PREFIX = "redis.resilience.";
    static final String ENV_PREFIX = "REDIS_RESILIENCE_";

    private ResilienceAgent() { }

    /** Called by the JVM for {@code -javaagent:redis-resilience-agent.jar[=key=value,...]}. */
    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /** Called by the JVM when the agent is attached to a running JVM. */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, true);
    }

    private static void start(String agentArgs, Instrumentation inst, boolean attached) {
        try {
            File jar = agentJar();
            ClassLoader starterLoader;
            if (jar != null) {
                if (!unconfigured(agentArgs) && !preflight(jar, agentArgs)) {
                    return; // disabled, or the one error line is printed
                }
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
                starterLoader = null; // bootstrap
            } else {
                // running from a class directory (IDE/tests): no jar to append, use our own loader
                starterLoader = ResilienceAgent.class.getClassLoader();
            }
            Class<?> starter = Class.forName(STARTER, true, starterLoader);
            Method m = starter.getMethod("start", String.class, Instrumentation.class, boolean.class);
            m.invoke(null, agentArgs, inst, attached);
        } catch (Throwable t) {
            try {
                System.err.println("[redis-resilience] ERROR agent failed to start, the application runs untouched: "
                        + String.valueOf(t).replace('\n', ' '));
            } catch (Throwable ignored) {
                // nothing left to do
            }
        }
    }

    /** True when no agent argument, system property or environment variable configures the agent. */
    static boolean unconfigured(String agentArgs) {
        if (agentArgs != null && !agentArgs.trim().isEmpty()) {
            return false;
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(SYSPROP_PREFIX)) {
                return false;
            }
        }
        for (String name : System.getenv().keySet()) {
            if (name.startsWith(ENV_PREFIX)) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code AgentStarter.check(agentArgs)} in a class loader that is discarded afterwards. */
    private static boolean preflight(File jar, String agentArgs) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toURI().toURL()}, null);
        try {
            Class<?> starter = Class.forName(STARTER, true, loader);
            Object ok = starter.getMethod("check", String.class).invoke(null, agentArgs);
            return Boolean.TRUE.equals(ok);
        } finally {
            try {
                loader.close();
            } catch (Throwable ignored) {
                // best effort
            }
        }
    }

    /** The jar this class was loaded from, or null when loaded from a directory. */
    static File agentJar() {
        try {
            CodeSource cs = ResilienceAgent.class.getProtectionDomain().getCodeSource();
            URL url = cs == null ? null : cs.getLocation();
            if (url != null) {
                File f = new File(url.toURI());
                return f.isFile() ? f : null;
            }
        } catch (Throwable ignored) {
            // fall through to the command line
        }
        return fromCommandLine();
    }

    private static File fromCommandLine() {
        try {
            for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-javaagent:") && arg.contains("redis-resilience-agent")) {
                    String path = arg.substring("-javaagent:".length());
                    int eq = path.indexOf('=');
                    File f = new File(eq >= 0 ? path.substring(0, eq) : path);
                    if (f.isFile()) {
                        return f;
                    }
                }
            }
        } catch (Throwable ignored) {
            // no way to find the jar
        }
        return null;
    }
}
