package dev.redisresilience.it.jedis;

import java.util.List;

/**
 * The handful of Jedis calls the scenarios make, implemented by each version module with that version's
 * own API (so every call goes through real Jedis code paths). Pool-backed implementations borrow and
 * return a resource per call, like applications do.
 */
public interface Ops extends AutoCloseable {
    Object set(String key, String value);
    Object get(String key);
    Object incr(String key);
    Object del(String key);
    Object hset(String key, String field, String value);
    Object hget(String key, String field);
    Object lpush(String key, String... values);
    Object lrange(String key, long start, long stop);
    /** SET key 1, INCR key, GET key in one pipeline; the replies. */
    List<Object> pipeline(String key);
    /** SET key 1, INCR key, GET key in MULTI/EXEC; the EXEC result. */
    List<Object> multi(String key);
    /** A command the fallback does not serve (e.g. EVAL), through the regular API. */
    Object unserved();
    @Override void close();
}
