package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.log.AgentLog;

/**
 * Where the endpoint layer's few log lines go (logger {@value #LOGGER}). The default routes to
 * {@link AgentLog}; tests install a capturing sink on their own registry. Messages are already redacted.
 */
public interface EndpointLogSink {
    String LOGGER = "redis.resilience.endpoint";

    void info(String message);

    void warn(String message);

    void error(String message);

    /** The production sink: {@link AgentLog}, never throwing (stderr if the log layer itself fails). */
    EndpointLogSink AGENT_LOG = new EndpointLogSink() {
        @Override
        public void info(String message) {
            try {
                AgentLog.info(LOGGER, message);
            } catch (Throwable t) {
                System.err.println("[redis-resilience] INFO " + message);
            }
        }

        @Override
        public void warn(String message) {
            try {
                AgentLog.warn(LOGGER, message);
            } catch (Throwable t) {
                System.err.println("[redis-resilience] WARN " + message);
            }
        }

        @Override
        public void error(String message) {
            try {
                AgentLog.error(LOGGER, message);
            } catch (Throwable t) {
                System.err.println("[redis-resilience] ERROR " + message);
            }
        }
    };
}
