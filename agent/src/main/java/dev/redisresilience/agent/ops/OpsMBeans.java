package dev.redisresilience.agent.ops;

import dev.redisresilience.agent.AgentVersion;
import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.EndpointState;
import dev.redisresilience.agent.endpoint.EndpointStats;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.endpoint.ServePolicy;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.EngineStats;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.log.AgentLog;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JMX for operations (issue 9). {@link #register} is called once at agent start; the platform MBean server
 * is touched only from the daemon thread {@code redis-resilience-jmx}, a few seconds later and then every
 * second to register the MBean of each endpoint the agent has met since (endpoints appear lazily, when a
 * client first connects). Client-free.
 *
 * <p>Runtime toggles: force-fallback goes through {@link Endpoints#setForceFallback}; fallback off is a
 * {@link ServePolicy} that refuses everything while the switch is off and otherwise defers to the safety
 * policies it wraps.
 */
public final class OpsMBeans {
    private OpsMBeans() { }

    public static final String DOMAIN = "dev.redisresilience";
    public static final String AGENT_NAME = DOMAIN + ":type=Agent";

    private static volatile FallbackEngine engine;
    private static volatile boolean fallbackOff;
    private static final Map<String, EndpointBean> BEANS = new ConcurrentHashMap<String, EndpointBean>();
    private static Thread thread;

    /**
     * Installs the runtime toggles -- the serve policy is the runtime fallback switch in front of
     * {@code policy} (the configured safety policies; null = allow all) -- and starts the registration
     * thread (once per JVM).
     */
    public static synchronized void register(FallbackEngine fallbackEngine, final ServePolicy policy) {
        engine = fallbackEngine;
        final ServePolicy next = policy == null ? ServePolicy.ALLOW_ALL : policy;
        Endpoints.registry().setServePolicy(new ServePolicy() {
            @Override
            public String deny(String endpointId, EngineSession session, byte[][] argv) {
                return fallbackOff ? "fallback switched off at runtime (JMX)" : next.deny(endpointId, session, argv);
            }
        });
        if (thread != null) {
            return;
        }
        thread = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Thread.sleep(Long.getLong("dev.redisresilience.jmx-delay-ms", 2000L));
                    registerAgent();
                    while (true) {
                        syncEndpoints();
                        Thread.sleep(1000L);
                    }
                } catch (InterruptedException e) {
                    // JVM shutting down
                } catch (Throwable t) {
                    AgentLog.instrumentationFailure("jmx", t);
                }
            }
        }, "redis-resilience-jmx");
        thread.setDaemon(true);
        thread.start();
    }

    static void registerAgent() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AGENT_NAME);
        if (!server.isRegistered(name)) {
            server.registerMBean(new AgentBean(), name);
        }
    }

    /** Registers the MBean of every endpoint met so far; refreshes the "since" of each. Also for tests. */
    public static void syncEndpoints() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (EndpointGuard g : Endpoints.guards()) {
            EndpointBean b = BEANS.get(g.id());
            if (b == null || b.guard != g) {
                b = new EndpointBean(g);
                BEANS.put(g.id(), b);
                ObjectName name = endpointName(g.id());
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
                server.registerMBean(b, name);
            }
            b.observe();
        }
    }

    public static ObjectName endpointName(String id) throws Exception {
        return new ObjectName(DOMAIN + ":type=Endpoint,name=" + ObjectName.quote(id));
    }

    static String iso(long millis) {
        if (millis <= 0) {
            return "";
        }
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }

    static final class EndpointBean implements EndpointMXBean {
        final EndpointGuard guard;
        private volatile EndpointState seen;
        private volatile long seenSince = System.currentTimeMillis();

        EndpointBean(EndpointGuard guard) {
            this.guard = guard;
            this.seen = guard.state();
        }

        void observe() {
            EndpointState now = guard.state();
            if (now != seen) {
                seen = now;
                seenSince = System.currentTimeMillis();
            }
        }

        private EndpointStats s() { return guard.stats(); }

        private EngineStats e() {
            FallbackEngine en = engine;
            return en == null ? new EngineStats(0, 0, 0) : en.stats(guard.id());
        }

        @Override public String getEndpoint() { return guard.id(); }
        @Override public String getState() { return guard.state().name(); }
        @Override public long getStateSinceMillis() {
            EndpointStats st = s();
            if (st.state() != EndpointState.UP && st.downSinceMillis() > 0) {
                return st.downSinceMillis();
            }
            observe();
            return seenSince;
        }
        @Override public String getStateSince() { return iso(getStateSinceMillis()); }
        @Override public long getOutages() { return s().outages(); }
        @Override public long getRecoveries() { return s().generation(); }
        @Override public String getLastCause() { return s().lastCause(); }
        @Override public long getCommandsServed() { return s().commandsServed(); }
        @Override public long getCommandsServedTotal() { return s().commandsServedTotal(); }
        @Override public long getWritesJournaled() { return s().writesJournaled(); }
        @Override public long getJournalPending() { return s().journalPending(); }
        @Override public boolean isJournalOverflowed() { return s().journalOverflowed(); }
        @Override public long getWritesReplayedTotal() { return s().writesReplayedTotal(); }
        @Override public long getKeysInvalidatedTotal() { return s().keysInvalidatedTotal(); }
        @Override public long getUnknownFateWritesTotal() { return s().unknownFateWritesTotal(); }
        @Override public long getUnknownFateNotReplayedTotal() { return s().unknownFateNotReplayedTotal(); }
        @Override public long getReconcileInterruptionsTotal() { return s().reconcileInterruptionsTotal(); }
        @Override public long getReconcileErrorsTotal() { return s().reconcileErrorsTotal(); }
        @Override public long getConfigurationFaults() { return s().configurationFaults(); }
        @Override public long getFallbackEntries() { return e().entries(); }
        @Override public long getFallbackBytes() { return e().estimatedBytes(); }
        @Override public long getFallbackEvictions() { return e().evictions(); }
    }

    static final class AgentBean implements AgentMXBean {
        @Override public String getVersion() { return AgentVersion.get(); }
        @Override public boolean isForceFallback() { return Endpoints.forceFallback(); }
        @Override public void setForceFallback(boolean on) { forceFallback(on); }
        @Override public boolean isFallback() { return !fallbackOff; }
        @Override public void setFallback(boolean on) { fallback(on); }

        @Override
        public void forceFallback(boolean on) {
            Endpoints.setForceFallback(on);
            AgentLog.info("ops", "force-fallback " + (on ? "on" : "off") + " (JMX)");
        }

        @Override
        public void fallback(boolean on) {
            fallbackOff = !on;
            AgentLog.info("ops", "fallback " + (on ? "on" : "off") + " (JMX)");
        }

        @Override
        public long clearFallbackData() {
            FallbackEngine en = engine;
            long dropped = 0;
            if (en != null) {
                for (EndpointGuard g : Endpoints.guards()) {
                    dropped += en.stats(g.id()).entries();
                    en.dropEndpoint(g.id());
                }
            }
            AgentLog.info("ops", "fallback data cleared (JMX): " + dropped + " entries");
            return dropped;
        }

        @Override
        public String[] getEndpoints() {
            List<String> out = new ArrayList<String>();
            for (EndpointGuard g : Endpoints.guards()) {
                EndpointBean b = BEANS.get(g.id());
                if (b == null) {
                    b = new EndpointBean(g);
                }
                out.add(g.id() + " " + g.state() + " since=" + b.getStateSince() + " outages=" + b.getOutages()
                        + " served=" + b.getCommandsServedTotal() + " journaled=" + b.getWritesJournaled()
                        + " replayed=" + b.getWritesReplayedTotal() + " invalidated=" + b.getKeysInvalidatedTotal()
                        + " unknownFate=" + b.getUnknownFateWritesTotal() + " entries=" + b.getFallbackEntries()
                        + " bytes=" + b.getFallbackBytes() + " evictions=" + b.getFallbackEvictions());
            }
            return out.toArray(new String[0]);
        }

        @Override
        public String[] getRedirects() {
            List<String> out = new ArrayList<String>();
            for (RedirectRule r : Redirects.rules()) {
                out.add(r.toString());
            }
            return out.toArray(new String[0]);
        }

        @Override public long getFallbackEntries() { FallbackEngine en = engine; return en == null ? 0 : en.totals()[0]; }
        @Override public long getFallbackBytes() { FallbackEngine en = engine; return en == null ? 0 : en.totals()[1]; }
    }
}
