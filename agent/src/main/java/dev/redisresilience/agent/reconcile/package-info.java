/**
 * Bringing Redis and the fallback back together after an outage. Client-free.
 *
 * <h2>The journal ({@link dev.redisresilience.agent.reconcile.OutageJournal})</h2>
 * One per endpoint, reset at the start of every outage. It receives the engine's change feed in the
 * order the engine applied the writes, with relative expiries already made absolute. Bounds (per endpoint
 * and outage): {@code journalMaxEntries} entries (default 100 000) and {@code journalMaxBytes} estimated
 * bytes (default 64 MiB). The first write beyond either bound <em>overflows</em> the outage: entries are
 * dropped, only the distinct touched keys are kept (at most 4 × journalMaxEntries), and the outage is
 * reconciled by invalidate, whatever the configured mode. Keys beyond that bound are counted and reported
 * (one ERROR line per outage): they can be neither replayed nor invalidated.
 *
 * <h2>Strategies ({@link dev.redisresilience.agent.reconcile.Reconciler})</h2>
 * <ul>
 *   <li>{@code replay}: the journaled replay commands in order, in batches of up to 512, one
 *       {@code SELECT} round trip whenever the db changes. An absolute expiry already in the past becomes
 *       {@code DEL key} (so an older value cannot resurface); INCR-family commands are sent as they are, so
 *       the increments of several instances add up. Each batch is applied <b>exactly once</b>: it travels as
 *       one Lua script guarded by a random token key ({@code redis-resilience:replay:<hex>}, set with
 *       {@code NX}); a batch whose reply was lost with the connection is resent with the same token, so Redis
 *       runs it once whichever copy arrives first. The token is deleted right after an acknowledged first
 *       attempt; a resent batch's token expires after 24 hours. Where scripts are refused (ACL, renamed
 *       {@code EVAL}) or a write has more than 7 000 arguments, the batch is pipelined unguarded and a cut
 *       leaves its unacknowledged writes of unknown fate (below).</li>
 *   <li>{@code invalidate}: {@code DEL} of every touched key, per db, 128 keys per command, pipelined.</li>
 *   <li>{@code none}: nothing is journaled; Redis keeps what it had.</li>
 * </ul>
 *
 * <h2>Writes of unknown fate</h2>
 * A write the <em>application</em> sent to Redis whose connection died before the reply may or may not have
 * been applied. Policy,
 * per command class ({@link dev.redisresilience.agent.reconcile.CommandClasses#isIdempotent}):
 * idempotent absolute writes ({@code SET}, {@code HSET}, {@code SADD}, {@code DEL}, {@code PEXPIREAT}, ...)
 * are replayed, since a second application changes nothing; every other write ({@code INCR} family,
 * {@code LPUSH}/{@code RPUSH}, {@code APPEND}, {@code ZINCRBY}, pops, {@code *STORE}, unknown commands) is
 * <b>not replayed</b>: at-most-once. Redis then holds either the effect (if it had applied it) or misses
 * exactly that one write; it never holds it twice, and the other instances' data on that key is kept
 * (deleting the key instead would erase every instance's increments). Both kinds are counted and reported
 * in the UP line. A write of unknown fate that changed nothing locally (an {@code RPOP} answered by an
 * empty fallback list) has nothing to replay, yet Redis may have applied it: it is counted as of unknown
 * fate and not replayed too. Under {@code invalidate} their keys are deleted like every touched key.
 *
 * <p>Error replies during reconcile (e.g. {@code WRONGTYPE} because Redis holds another type) are counted,
 * reported once per outage, and reconcile continues. A connection lost mid-reconcile puts the unfinished
 * part back at the head of the journal (a guarded batch with its token) and the next probe resumes.
 */
package dev.redisresilience.agent.reconcile;
