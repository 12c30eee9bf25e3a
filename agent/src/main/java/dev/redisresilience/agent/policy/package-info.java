/**
 * Safety policies of the fallback (issue 11): what must never be answered from one instance's memory
 * while Redis is down. {@link dev.redisresilience.agent.policy.FallbackPolicy} implements the endpoint
 * package's {@link dev.redisresilience.agent.endpoint.ServePolicy} seam from the configuration
 * ({@code fallback.deny-commands}, {@code fallback.deny-keys}, {@code fallback.allow-keys},
 * {@code fallback.lock-idiom}); {@link dev.redisresilience.agent.policy.CommandKeys} knows which arguments
 * of a command are keys. Client-free; consulted only when the engine is about to serve (never on the
 * fast path while every endpoint is UP).
 */
package dev.redisresilience.agent.policy;
