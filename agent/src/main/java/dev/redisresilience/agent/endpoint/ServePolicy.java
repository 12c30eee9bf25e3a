package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.EngineSession;

/**
 * Consulted by {@link EndpointGuard#serve} just before the engine would answer a command locally (never
 * while the endpoint is UP, so it costs nothing on the fast path). The seam for the safety policies of
 * issue 11 (deny/allow keys, deny commands, the lock idiom). Must be quick, thread-safe, and never throw.
 */
public interface ServePolicy {
    ServePolicy ALLOW_ALL = new ServePolicy() {
        @Override
        public String deny(String endpointId, EngineSession session, byte[][] argv) {
            return null;
        }
    };

    /**
     * Returns null to let the engine serve {@code argv}, or the reason it must not be served locally
     * (naming the policy); the command is then neither served nor journaled and the adapter fails it with
     * the client's own connection exception quoting the reason.
     */
    String deny(String endpointId, EngineSession session, byte[][] argv);
}
