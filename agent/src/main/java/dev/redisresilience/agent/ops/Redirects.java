package dev.redisresilience.agent.ops;

import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.endpoint.EndpointAddress;
import dev.redisresilience.agent.endpoint.EndpointResolver;
import dev.redisresilience.agent.log.AgentLog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code redirect} rules of the running agent (issue 9). Client-free. Adapters read {@link #active}
 * (a plain volatile field: one read, false unless rules are configured) where a client is about to open a
 * socket, and then ask {@link #match} for the rule covering the address the client was configured with.
 * FROM hosts are compared after loopback normalisation ({@code localhost}, {@code 127.0.0.1} and {@code ::1}
 * are one host, as in {@link EndpointAddress}); nothing is resolved through DNS.
 */
public final class Redirects {
    private Redirects() { }

    /** True when at least one rule is installed. Read by the woven hooks before anything else. */
    public static volatile boolean active;

    private static volatile List<RedirectRule> rules = Collections.emptyList();
    private static final Set<String> ANNOUNCED = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    /** Installs the rules (replacing any earlier ones). */
    public static synchronized void install(List<RedirectRule> newRules) {
        rules = newRules == null ? Collections.<RedirectRule>emptyList()
                : Collections.unmodifiableList(new ArrayList<RedirectRule>(newRules));
        active = !rules.isEmpty();
    }

    public static List<RedirectRule> rules() { return rules; }

    /** The rule for a client configured with {@code host:port}, or null. Never throws. */
    public static RedirectRule match(String host, int port) {
        if (!active || host == null) {
            return null;
        }
        try {
            String h = EndpointAddress.normaliseHost(host);
            for (RedirectRule r : rules) {
                if (r.fromPort() == port && EndpointAddress.normaliseHost(r.fromHost()).equals(h)) {
                    return r;
                }
            }
        } catch (Throwable ignored) {
            // never throw into a client
        }
        return null;
    }

    /**
     * Called by an adapter once it has pointed a client at the rule's target: one INFO line per rule and
     * client kind (password masked), never per connection.
     */
    public static void applied(RedirectRule rule, String client) {
        if (ANNOUNCED.add(client + " " + rule)) {
            AgentLog.info("redirect", "redirect " + rule + " applied to " + client + " connections");
        }
    }

    /** The endpoint-registry seam: an address covered by a rule is accounted to the rule's target. */
    public static EndpointResolver resolver() {
        return new EndpointResolver() {
            @Override
            public EndpointAddress resolve(String host, int port) {
                RedirectRule r = match(host, port);
                return r == null ? new EndpointAddress(host, port) : new EndpointAddress(r.toHost(), r.toPort());
            }
        };
    }
}
