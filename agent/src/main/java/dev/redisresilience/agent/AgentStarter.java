package dev.redisresilience.agent;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.config.ConfigException;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.AgentInstaller;
import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.InstrumentationModules;
import dev.redisresilience.agent.log.AgentLog;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the agent once it is loaded by the bootstrap class loader (called reflectively by
 * {@link ResilienceAgent}). Order: read and validate the configuration (on error: one line, stop);
 * {@code enabled=false}: stop silently; publish the configuration; start the core runtime
 * ({@link ResilienceRuntime#start}); install the one {@code AgentBuilder}; print one startup line.
 * Never throws. A second start in the same JVM (premain, then attach) prints one line and does nothing.
 */
public final class AgentStarter {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /**
     * After an attach, how long every command takes the advice's slow path, where the Lettuce adapter adopts
     * connections opened before the agent (Jedis needs no adoption, its connections carry their own state).
     */
    static final long ATTACH_ADOPTION_MILLIS = 30_000;

    private AgentStarter() { }

    /**
     * Pre-flight check, run by {@link ResilienceAgent} in a throwaway class loader BEFORE the agent jar is
     * appended to the bootstrap search: reads the configuration; on an error prints the one error line.
     * Returns true when the agent should start (valid and enabled). Never throws.
     */
    public static boolean check(String agentArgs) {
        try {
            AgentConfig config = AgentConfig.load(agentArgs);
            return config.enabled();
        } catch (ConfigException e) {
            AgentLog.error("agent", "invalid configuration, agent disabled (the application runs untouched): "
                    + e.getMessage());
            return false;
        } catch (Throwable t) {
            AgentLog.error("agent", "agent failed to start, the application runs untouched: " + t);
            return false;
        }
    }

    /** Entry from {@link ResilienceAgent}; {@code agentJar} is null when running from a class directory. */
    public static void start(String agentArgs, Instrumentation inst, File agentJar, boolean attached) {
        try {
            AgentConfig config;
            try {
                config = AgentConfig.load(agentArgs);
            } catch (ConfigException e) {
                AgentLog.error("agent", "invalid configuration, agent disabled (the application runs untouched): "
                        + e.getMessage());
                return;
            }
            if (!config.enabled()) {
                return;
            }
            if (!STARTED.compareAndSet(false, true)) {
                AgentLog.warn("agent", "agent already active in this JVM; ignoring the second start");
                return;
            }
            AgentConfig.publish(config);
            ResilienceRuntime.start(config);
            List<InstrumentationModule> modules = InstrumentationModules.all();
            AgentInstaller.install(inst, agentJar, modules, attached);
            if (attached) {
                // connections opened before the attach are adopted at their first command on the slow path
                Endpoints.holdSlowPath(ATTACH_ADOPTION_MILLIS);
            }
            String settings = config.describeNonDefaults();
            AgentLog.info("agent", "redis-resilience-agent " + AgentVersion.get() + " active"
                    + (attached ? " (attached)" : "")
                    + "; settings: " + (settings.isEmpty() ? "defaults" : settings)
                    + "; modules: " + names(modules));
        } catch (Throwable t) {
            AgentLog.error("agent", "agent failed to start, the application runs untouched: " + t);
        }
    }

    private static String names(List<InstrumentationModule> modules) {
        if (modules.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (InstrumentationModule m : modules) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(m.name());
        }
        return b.toString();
    }
}
