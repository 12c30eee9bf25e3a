/**
 * Jedis 2.9 to 8.x adapter.
 *
 * <h2>Shape</h2>
 * One module per generation, chosen by which classes exist ({@code jedis2.Jedis2Module}: {@code redis.clients.util},
 * {@code Protocol$Command}; {@code jedis3.Jedis3Module}: {@code ProtocolCommand}, no {@code CommandArguments};
 * {@code jedis4.Jedis4Module}: {@code CommandArguments} + {@code CommandObject}, 4.0 to 8.x). Each module says what is
 * woven ({@link dev.redisresilience.agent.instrumentation.jedis.JedisWeaves} holds what every generation shares);
 * {@link dev.redisresilience.agent.instrumentation.jedis.JedisHooks} is what runs: calls from Jedis's own bytecode to
 * static hooks. Hooks
 * are typed with {@code Object} and JDK types only and reach Jedis through
 * {@link dev.redisresilience.agent.instrumentation.jedis.JedisBridge} (reflection by member name, cached per class,
 * slow path only: field writes such as {@code broken = false} happen only on an emulated connection or after a
 * failure), so one agent build needs no Jedis at compile time.
 *
 * <h2>How an emulated connection works</h2>
 * While its endpoint is served locally, a Jedis {@code Connection} holds an
 * {@link dev.redisresilience.agent.instrumentation.jedis.EngineSocket} in its own {@code socket} field, with
 * Jedis's own {@code RedisOutputStream}/{@code RedisInputStream} built on it. Jedis then runs unchanged: it writes
 * RESP requests, the socket hands each complete command to {@code EndpointGuard#serve} and queues the RESP reply,
 * and Jedis parses it with its own {@code Protocol.read} (exact reply types and exceptions of that version, RESP2
 * or RESP3). Pipelines, transactions, the 4.x+ handshake, {@code flush()}, timeouts, the 2.x pipeline counter and
 * 8.x broken-connection checks need no hook of their own. A command the engine does not serve fails when its reply
 * is read, with Jedis's own {@code JedisConnectionException} whose message names the command.
 *
 * <h2>Hooks (all on {@code redis.clients.jedis.Connection} unless said)</h2>
 * <ul>
 *   <li>{@code connect()}: enter, only while something is degraded: a not-connected connection of a DOWN endpoint
 *       gets an engine socket instead of a connect attempt; exit: a connect failure that is an outage is swallowed
 *       and answered by an engine socket (lazy connect: every constructor, pool, JedisPooled, UnifiedJedis and
 *       RedisClient succeeds); a new real socket gets its stream wrappers
 *       ({@link dev.redisresilience.agent.instrumentation.jedis.JedisStall}: the connection's stall slot and the
 *       endpoint generation the socket was opened in).</li>
 *   <li>lowest {@code sendCommand} (2.x {@code (Protocol.Command, byte[]...)}, 3.x {@code (ProtocolCommand, byte[]...)},
 *       4.x+ {@code (CommandArguments)}): enter on an emulated connection: back to Redis once the endpoint is UP and
 *       the connection is at a command boundary, with its handshake redone; enter on a real connection while
 *       degraded: a connection of a DOWN endpoint moves to the engine; exit with an outage: the command goes to the
 *       engine.</li>
 *   <li>{@code readProtocolWithCheckingBroken()}: exit with a throwable: an outage on a live connection switches it
 *       to the engine (the stall detector, which sees blocking reads through the stream wrapper, closes the socket
 *       when the endpoint is judged DOWN, so the read throws and the failover below answers it).</li>
 *   <li>reply readers ({@code getStatusCodeReply} ... and, 2.x/3.x, {@code getOne}), {@code getMany(int)} (3.x+),
 *       {@code getAll(int)} (2.x), {@code executeCommand(CommandObject)} (4.x+): exit with an outage: the command(s)
 *       in flight are re-run on the engine (flagged as of unknown fate) and the caller gets that answer. The argv
 *       come from the {@code CommandObject} (4.x+) or from the connection's output buffer. The one failure that is
 *       retried against Redis is the stream wrapper's refusal to write on a socket from before an outage
 *       ({@code JedisStall.StaleSocketException}: nothing was sent): the connection reconnects, handshake
 *       included, and the command goes to Redis on the fresh socket. A command is never resent once any of its
 *       bytes may have left.</li>
 *   <li>{@code DefaultJedisSocketFactory#createSocket()} (3.3+) and 2.x {@code connect()}: the connect timeout is
 *       bounded by {@code connect-timeout}.</li>
 *   <li>4.x+ {@code initializeFromClientConfig(JedisClientConfig)}: remembers the config (4.x-6.x do not keep it)
 *       to redo AUTH/HELLO/CLIENT SETNAME/SELECT when the connection returns to Redis.</li>
 * </ul>
 * Hot path with every endpoint UP: static calls the JIT inlines, a volatile read ({@code Endpoints.anyDegraded()}),
 * a field read and {@code instanceof}, a reference comparison; the catch-all handlers cost nothing until a throw; in the stream wrappers, per socket write a volatile read
 * of the guard's generation and per blocking socket read a plain increment and two release stores on the
 * connection's own slot (no ThreadLocal); no allocation or lock.
 *
 * <h2>State</h2>
 * No field is added to Jedis classes. Per connection: the EngineSocket in Jedis's own {@code socket} field (guard,
 * engine session, pending replies, MULTI state, AUTH to redo, bytes in flight at the switch). Weak identity maps
 * ({@code WeakIdentityMap}) in {@code JedisSupport}: connection to guard, connection to client config (4.x-6.x),
 * connection to "cluster/sentinel, leave alone". Per real socket: the stream wrappers under Jedis's own
 * {@code inputStream}/{@code outputStream} (stall slot, endpoint generation).
 */
package dev.redisresilience.agent.instrumentation.jedis;
