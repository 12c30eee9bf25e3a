package dev.redisresilience.agent.engine.command;

/**
 * A Redis error reply raised by a command handler before it changed anything. The message is the full
 * error line without the leading '-' (e.g. {@code "ERR syntax error"}). No stack trace: it is control flow.
 */
public final class RedisError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final RedisError WRONGTYPE = new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final RedisError NOT_INTEGER = new RedisError("ERR value is not an integer or out of range");
    public static final RedisError NOT_FLOAT = new RedisError("ERR value is not a valid float");
    public static final RedisError SYNTAX = new RedisError("ERR syntax error");
    public static final RedisError OVERFLOW = new RedisError("ERR increment or decrement would overflow");
    public static final RedisError NO_SUCH_KEY = new RedisError("ERR no such key");
    public static final RedisError INDEX_OUT_OF_RANGE = new RedisError("ERR index out of range");
    public static final RedisError NAN_OR_INF = new RedisError("ERR increment would produce NaN or Infinity");
    public static final RedisError MUST_BE_POSITIVE = new RedisError("ERR value is out of range, must be positive");
    public static final RedisError MIN_MAX_NOT_FLOAT = new RedisError("ERR min or max is not a float");
    public static final RedisError MIN_MAX_NOT_LEX = new RedisError("ERR min or max not valid string range item");

    public RedisError(String message) {
        super(message, null, false, false);
    }

    public static RedisError of(String message) { return new RedisError(message); }
}
