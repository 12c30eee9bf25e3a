/**
 * Endpoint health: one {@link dev.redisresilience.agent.endpoint.EndpointGuard} per Redis endpoint decides
 * whether a command goes to Redis or to the fallback engine. Client-free (JDK and our own types only).
 *
 * <h2>Adapter protocol</h2>
 * <ol>
 *   <li>Per command, first {@link dev.redisresilience.agent.endpoint.Endpoints#anyDegraded()} (one volatile
 *       read); false → run the original, nothing else.</li>
 *   <li>Per connection (weak map): {@code guard = Endpoints.guard(host, port)} (cached; loopback spellings
 *       share one guard), {@code guard.learnCredentials(user, password, db, tls)} whenever the client
 *       authenticates / selects, {@code session = guard.newSession()}, {@code gen = guard.generation()}.</li>
 *   <li>Degraded: {@code if (guard.servesLocally()) r = guard.serve(session, argv, false)}; {@code r ==
 *       EndpointGuard.USE_REDIS} → run the original after all; {@code !r.served()} → throw the client's
 *       connection exception with {@code r.notServedReason()}; else hand {@code r.resp()} to the client.</li>
 *   <li>The original threw: {@code if (guard.onFailure(t, isClientConnectionException))} → answer with
 *       {@code guard.serve(session, argv, fateUnknown)}, where fateUnknown is false when the request was
 *       certainly not (completely) written — the adapter knows best; otherwise
 *       {@link dev.redisresilience.agent.endpoint.FailureClassifier#mayHaveReachedRedis} — else rethrow.</li>
 *   <li>Back to Redis: when {@code !guard.servesLocally() && guard.generation() != gen}, the endpoint has
 *       been UP again since this connection last talked to Redis: reconnect it before use, then
 *       {@code gen = guard.generation()}.</li>
 * </ol>
 *
 * <h2>States</h2>
 * UP → DOWN on the first OUTAGE-class failure (one WARN line). DOWN → RECOVERING when the probe's PING is
 * answered (on the agent's single daemon thread {@code redis-resilience-probe}, every probe-interval ±20%).
 * RECOVERING → UP when the journal is drained, under a short exclusive handoff with {@code serve}; the
 * endpoint's fallback data is dropped at that moment (one INFO line). RECOVERING → DOWN if the reconcile
 * connection breaks (same outage, no new line). While DOWN, one summary line at most every
 * summary-interval. Force-fallback = every guard DOWN with the probe paused.
 *
 * <h2>Silent failures</h2>
 * {@link dev.redisresilience.agent.endpoint.StallDetector}: a command silent for stall-timeout makes a probe on a
 * separate connection decide (connect silent: DOWN; PING answered: slow, keep waiting; connect accepted but PING
 * silent: DOWN unless this JVM has a slow-class command in flight on the endpoint). Blocking adapters (Jedis)
 * mark each blocking read in the connection's {@code StallDetector.Slot} and let the detector's scanner thread
 * ({@code redis-resilience-stall}) abandon stuck sockets; Lettuce samples its channels and calls
 * {@code StallDetector.judge}.
 *
 * <h2>Failure classes</h2>
 * See {@link dev.redisresilience.agent.endpoint.FailureClassifier}: connect refused, reset, EOF, closed
 * channel, socket/connect timeouts, {@code LOADING}, {@code MASTERDOWN}, or the adapter's connection-class
 * verdict → OUTAGE; {@code WRONGTYPE}, syntax, {@code OOM}, {@code NOSCRIPT}, {@code BUSY}, other
 * {@code ERR} → passed through; {@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM}, {@code READONLY}, a TLS
 * rejection → configuration fault: passed through (never served locally: a wrong password or a replica
 * address must surface), one ERROR line per endpoint and kind.
 */
package dev.redisresilience.agent.endpoint;
