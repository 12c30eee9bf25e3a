/**
 * The fallback engine: an in-process Redis 7.0 for the commands apps use most, answering while an endpoint
 * is unreachable. Entry points: {@link dev.redisresilience.agent.engine.FallbackEngine#openSession} and
 * {@link dev.redisresilience.agent.engine.FallbackEngine#execute} (argv in, RESP bytes or "not served" out).
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code resp/} — {@code RespWriter} (RESP2 and RESP3 shapes), {@code DoubleFormat} ({@code %.17g}).</li>
 *   <li>{@code data/} — {@code Keyspace} (one db: chained hash table + LRU list + expiry heap),
 *       {@code KeyspaceGroup} (16 dbs of one endpoint and user, one lock, blocked clients, WATCHers),
 *       {@code Store} (all groups, JVM-wide bounds, the expiry sweeper), values {@code ListValue},
 *       {@code HashValue}, {@code SetValue}, {@code ZSetValue} (strings are plain {@code byte[]}).</li>
 *   <li>{@code command/} — one class per family ({@code StringCommands}, {@code KeyCommands},
 *       {@code HashCommands}, {@code ListCommands}, {@code SetCommands}, {@code SortedSetCommands},
 *       {@code ConnectionCommands}, {@code ServerCommands}), {@code CommandTable} (allocation-free,
 *       case-insensitive lookup), {@code Glob} (Redis {@code stringmatchlen}), {@code Numbers} and
 *       {@code LongDouble} (Redis' strict number parsing and x87 long double INCRBYFLOAT).</li>
 *   <li>this package — the API, {@code Dispatcher} (arity, MULTI queue, locking, blocking, bounds) and
 *       {@code TransactionCommands} (MULTI/EXEC/DISCARD/WATCH/UNWATCH/RESET/QUIT).</li>
 * </ul>
 *
 * <h2>Expiry</h2>
 * Lazy: every lookup checks the deadline and deletes an expired key. Active, without scanning: each
 * keyspace keeps a min-heap of deadlines; every command reclaims up to 16 due keys of its db and a daemon
 * thread ({@code redis-resilience-expiry}) reclaims due keys of every group every 100 ms (tryLock, 1000 per
 * group per pass). Bounds enforcement first reclaims all due keys before evicting live ones.
 *
 * <h2>Bounds and slack</h2>
 * {@code maxEntries} and {@code maxMemoryBytes} hold for the whole JVM. Bytes are an estimate: per key
 * 64 bytes (entry object + table slot) + the key array + the value (string array; aggregates keep a running
 * per-member estimate of their nodes). Measured heap per small string entry beyond key and value arrays is
 * ~62 bytes (the estimate is deliberately conservative at ~112 including array headers). When a write leaves
 * a bound exceeded, the same thread, after releasing its lock and before returning the reply, evicts least
 * recently used keys (oldest first across every endpoint, user and db; counted in {@code EngineStats}) until
 * both bounds hold. Slack: what the commands in flight at that moment added (one command per application
 * thread; e.g. one large SUNIONSTORE). An evicted key simply vanishes, like Redis {@code allkeys-lru}.
 *
 * <h2>Change feed</h2>
 * Every executed mutation is reported once, in order, under the keyspace lock: relative TTLs become
 * absolute ({@code SET k v PXAT t}, {@code PEXPIREAT k t}); SET's NX/XX/GET are resolved (the replay is the
 * SET that happened); random effects become what happened ({@code SPOP} → {@code SREM k popped...});
 * removals by range or pop of zsets → {@code ZREM}; set algebra STORE → {@code DEL dst} + {@code SADD dst
 * members}; list pops and moves (blocking or not) replay as the same non-blocking pop/move
 * ({@code BLPOP a b 0} that popped from b → {@code LPOP b}; {@code BLMOVE} → {@code LMOVE}), so a queue in
 * Redis ends with pushed minus popped; counters stay relative ({@code INCRBY}, {@code INCRBYFLOAT},
 * {@code HINCRBY}); FLUSHDB/FLUSHALL are reported even when the local db was empty. Commands that changed
 * nothing (failed SET NX, DEL of a missing key, SADD of a present member) are not reported.
 *
 * <h2>Known deviations from Redis 7.0</h2>
 * <ul>
 *   <li>AUTH / HELLO AUTH always succeed (nothing to verify against while Redis is down); the user name
 *       selects an isolated keyspace family. CLIENT SETINFO is accepted (as Redis 7.2 does).</li>
 *   <li>HSCAN/SSCAN/ZSCAN return everything in one reply (cursor 0), as Redis does for small encodings;
 *       SCAN uses Redis' reverse-binary cursor over our own table (same guarantees, other cursor values).</li>
 *   <li>Element order where Redis leaves it undefined: hashes reply in insertion order (Redis' listpack
 *       order for small hashes), sets of at most 512 integers in numeric order (intset), other sets in an
 *       unspecified order. BYLEX on a zset with mixed scores follows Redis' listpack walk (&lt;= 128 members).</li>
 *   <li>Doubles are parsed without hex-float support ({@code 0x1p3}); INCRBYFLOAT emulates 80-bit long double.</li>
 *   <li>Blocked clients are served by the pushing thread right after its command (Redis semantics) in
 *       arrival order; a key replaced by a non-list while clients wait serves them a WRONGTYPE error.</li>
 *   <li>Memory: string APPEND/SETRANGE copy the string (O(n) per append); zset rank is O(rank).</li>
 *   <li>CLUSTER SLOTS/NODES describe a single node owning every slot at the endpoint's host:port; INFO,
 *       COMMAND and CONFIG GET are minimal.</li>
 * </ul>
 */
package dev.redisresilience.agent.engine;
