package dev.redisresilience.agent.endpoint;

/**
 * Maps the address a client is configured with to the endpoint it should really talk to. The seam for
 * {@code redirect} (issue 9): the default is the identity. Must be quick and must never throw.
 */
public interface EndpointResolver {
    EndpointResolver IDENTITY = new EndpointResolver() {
        @Override
        public EndpointAddress resolve(String host, int port) {
            return new EndpointAddress(host, port);
        }
    };

    EndpointAddress resolve(String host, int port);
}
