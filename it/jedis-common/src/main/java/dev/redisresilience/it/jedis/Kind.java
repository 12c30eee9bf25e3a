package dev.redisresilience.it.jedis;

/** How the application builds its client. Not every kind exists in every Jedis version. */
public enum Kind {
    /** {@code new Jedis(host, port)}: lazy in every version. */
    JEDIS,
    /** {@code new Jedis(host, port, timeout)} / {@code new Jedis(HostAndPort, JedisClientConfig)}: eager since 3.6. */
    JEDIS_EAGER,
    /** {@code JedisPool#getResource()} per call. */
    POOL,
    /** {@code JedisPooled} (4.x to 7.x). */
    POOLED,
    /** {@code new UnifiedJedis(HostAndPort, JedisClientConfig)} / provider-based (4.x+). */
    UNIFIED,
    /** {@code RedisClient} (7.2+). */
    REDIS_CLIENT
}
