package dev.redisresilience.agent;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.config.ConfigException;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.AgentInstaller;
import dev.redisresilience.agent.instrumentation.ClientClassGate;
import dev.redisresilience.agent.instrumentation.ClientTransformer;
import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.InstrumentationModules;
import dev.redisresilience.agent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the agent once it is loaded by the bootstrap class loader (called reflectively by
 * {@link ResilienceAgent}). Order: read and validate the configuration (on error: one line, stop);
 * {@code enabled=false}: stop silently; publish the configuration; then
 * <ul>
 *   <li>{@code premain}: register the {@link ClientClassGate} and return; the core runtime
 *       ({@link ResilienceRuntime#start}) and the transformer ({@link AgentInstaller#transformer}) are
 *       started on two threads while the application starts, and the gate opens when both are done;</li>
 *   <li>attached: start the core runtime, install the transformer and retransform the client classes
 *       already loaded, in the attaching call.</li>
 * </ul>
 * One startup line once active. Never throws. A second start in the same JVM (premain, then attach) prints
 * one line and does nothing.
 */
public final class AgentStarter {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Internal knob (not a configuration key): how long a client class may wait for the agent's start. */
    static final String START_WAIT_PROPERTY = "dev.redisresilience.start-wait-ms";
    static final String START_THREAD = "redis-resilience-start";
    static final String RUNTIME_THREAD = "redis-resilience-runtime";
    /** Read by the 'attach'/'status' commands through the attach API (not a redis.resilience.* key). */
    static final String ACTIVE_PROPERTY = "dev.redisresilience.agent.active";
    /**
     * After an attach, how long every command takes the hooks' slow path, where the Lettuce adapter adopts
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

    /** Entry from {@link ResilienceAgent}. */
    public static void start(String agentArgs, Instrumentation inst, boolean attached) {
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
            List<InstrumentationModule> modules = InstrumentationModules.all();
            if (attached) {
                ResilienceRuntime.start(config);
                AgentInstaller.install(inst, modules, true);
                // connections opened before the attach are adopted at their first command on the slow path
                Endpoints.holdSlowPath(ATTACH_ADOPTION_MILLIS);
                announce(config, modules, true);
            } else {
                startBehindGate(config, inst, modules);
            }
        } catch (Throwable t) {
            AgentLog.error("agent", "agent failed to start, the application runs untouched: " + t);
        }
    }

    /**
     * {@code premain}: registers the {@link ClientClassGate}, then returns; two threads do the rest while
     * the application starts: {@code redis-resilience-start} builds the transformer (cheap: nothing is read
     * before the first client class) and tells the gate which classes must wait (the woven ones, whose hooks
     * need the runtime; the others go at once); {@code redis-resilience-runtime} starts the core runtime.
     * The gate opens when both are done; a woven class that loads earlier waits at the gate. Both
     * threads are not daemons: the JVM does not exit before the agent finished starting (nor before its
     * startup line).
     */
    private static void startBehindGate(final AgentConfig config, Instrumentation inst,
                                        final List<InstrumentationModule> modules) {
        final ClientClassGate gate = new ClientClassGate(
                Long.getLong(START_WAIT_PROPERTY, ClientClassGate.DEFAULT_WAIT_MILLIS));
        inst.addTransformer(gate);
        // at once, not when the runtime thread gets there: an 'attach' right after launch must see it
        System.setProperty(ACTIVE_PROPERTY, AgentVersion.get());
        final Start start = new Start(gate, config, modules);
        try {
            Thread builder = new Thread(new Runnable() {
                @Override
                public void run() {
                    final ClientTransformer transformer;
                    try {
                        transformer = AgentInstaller.transformer(modules);
                        // from then on only the woven classes wait (their hooks need the runtime)
                        gate.early(transformer.heldTypes(), transformer.early());
                    } catch (Throwable t) {
                        start.failed(t);
                        return;
                    }
                    start.partDone(transformer);
                }
            }, START_THREAD);
            Thread runtime = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        ResilienceRuntime.start(config);
                    } catch (Throwable t) {
                        start.failed(t);
                        return;
                    }
                    start.partDone(null);
                }
            }, RUNTIME_THREAD);
            for (Thread t : new Thread[] {builder, runtime}) {
                t.setDaemon(false);
                gate.starter(t);
            }
            builder.start();
            runtime.start();
        } catch (Throwable t) {
            start.failed(t);
        }
    }

    /** The two halves of a {@code premain} start: the core runtime and the transformer. */
    private static final class Start {
        private final ClientClassGate gate;
        private final AgentConfig config;
        private final List<InstrumentationModule> modules;
        private final AtomicInteger pending = new AtomicInteger(2);
        private final AtomicBoolean failed = new AtomicBoolean();
        private volatile ClassFileTransformer transformer;

        Start(ClientClassGate gate, AgentConfig config, List<InstrumentationModule> modules) {
            this.gate = gate;
            this.config = config;
            this.modules = modules;
        }

        /** One half is done; {@code built} is the transformer when it is that half. */
        void partDone(ClassFileTransformer built) {
            if (built != null) {
                transformer = built;
            }
            if (pending.decrementAndGet() == 0 && !failed.get()) {
                // the startup line first: no client class is transformed (and binds the log) before it
                gate.open(transformer, new Runnable() {
                    @Override
                    public void run() {
                        announce(config, modules, false);
                    }
                });
            }
        }

        void failed(Throwable t) {
            if (failed.compareAndSet(false, true)) {
                gate.fail();
                System.clearProperty(ACTIVE_PROPERTY);
                AgentLog.error("agent", "agent failed to start, the application runs untouched: " + t);
            }
        }
    }

    private static void announce(AgentConfig config, List<InstrumentationModule> modules, boolean attached) {
        String settings = config.describeNonDefaults();
        AgentLog.info("agent", "redis-resilience-agent " + AgentVersion.get() + " active"
                + (attached ? " (attached)" : "")
                + "; settings: " + (settings.isEmpty() ? "defaults" : settings)
                + "; modules: " + names(modules));
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
