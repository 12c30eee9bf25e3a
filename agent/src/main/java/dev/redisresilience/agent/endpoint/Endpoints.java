package dev.redisresilience.agent.endpoint;

/**
 * The registry of endpoint guards and the single entry point client adapters use. Client-free.
 *
 * <p>Hot-path contract: advice first calls {@link #anyDegraded()} (one volatile read). When it returns
 * false, every endpoint is UP and force-fallback is off: the advice passes through without any lookup.
 */
public final class Endpoints {
    private Endpoints() { }

    /** One volatile read: true while any endpoint is DOWN or RECOVERING, or force-fallback is on. */
    public static boolean anyDegraded() {
        throw new UnsupportedOperationException("endpoint: not implemented yet");
    }

    /**
     * The guard for the endpoint a client addresses as {@code host:port} (before redirect); created on
     * first use, then cached. Never null, never throws. Not for the hot path: adapters keep the guard
     * per connection in a weak map.
     */
    public static EndpointGuard guard(String host, int port) {
        throw new UnsupportedOperationException("endpoint: not implemented yet");
    }
}
