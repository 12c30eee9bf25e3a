package dev.redisresilience.it.jedis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.RedisClient;
import java.util.List;
import java.util.function.Function;

/** Jedis 8.0.2: the shared scenarios with this version's own client kinds. */
class Jedis8_0_2Test extends JedisScenarios {

    @Override protected String expectedVersion() { return "8.0.2"; }

    @Override protected Class<?> jedisClass() { return Jedis.class; }

    @Override protected List<Kind> kinds() { return List.of(Kind.JEDIS, Kind.JEDIS_EAGER, Kind.POOL, Kind.REDIS_CLIENT); }

    /**
     * Jedis 8 negotiates RESP3 (HELLO 3) when Redis is up; when Redis then dies, the same connections keep
     * getting RESP3 replies from the fallback (a double stays a double, not a bulk string).
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Tag(NEEDS_ENGINE)
    void resp3NegotiatedWithRedisIsKeptByTheFallback() {
        try (dev.redisresilience.testkit.RedisServer server = dev.redisresilience.testkit.RedisServer.start();
             RedisClient client = RedisClient.builder().hostAndPort(server.host(), server.port()).build()) {
            client.zadd("z", 1.5, "m");
            Object before = client.sendCommand(redis.clients.jedis.Protocol.Command.ZSCORE, "z", "m");
            org.assertj.core.api.Assertions.assertThat(before).as("RESP3 double from Redis").isEqualTo(1.5d);
            server.kill();
            client.zadd("z2", 2.5, "m");
            Object after = client.sendCommand(redis.clients.jedis.Protocol.Command.ZSCORE, "z2", "m");
            org.assertj.core.api.Assertions.assertThat(after).as("RESP3 double from the fallback").isEqualTo(2.5d);
            org.assertj.core.api.Assertions.assertThat(client.zscore("z2", "m")).isEqualTo(2.5d);
        }
    }

    @Override protected AutoCloseable sentinelPool(String sentinel) {
        return new redis.clients.jedis.JedisSentinelPool("mymaster", new java.util.HashSet<>(List.of(sentinel)));
    }

    @Override protected Object sentinelSet(AutoCloseable pool, String key, String value) {
        try (Jedis j = ((redis.clients.jedis.JedisSentinelPool) pool).getResource()) {
            return j.set(key, value);
        }
    }

    @Override protected Object clusterSetGet(String host, int port, String key) {
        try (redis.clients.jedis.JedisCluster c = new redis.clients.jedis.JedisCluster(new redis.clients.jedis.HostAndPort(host, port))) {
            c.set(key, "v");
            return c.get(key);
        }
    }

    @Override protected Ops open(Kind kind, String host, int port, String password, int db) {
        return switch (kind) {
            case JEDIS -> {
                Jedis j = new Jedis(host, port);
                if (password != null) { j.auth(password); }
                if (db != 0) { j.select(db); }
                yield new JedisOps(j, null);
            }
            case JEDIS_EAGER -> new JedisOps(new Jedis(new HostAndPort(host, port), cfg(password, db)), null);
            case POOL -> new JedisOps(null, new JedisPool(new JedisPoolConfig(), host, port, 2000, password, db));
            case REDIS_CLIENT -> new UnifiedOps(RedisClient.builder().hostAndPort(host, port).clientConfig(cfg(password, db)).build());
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    static DefaultJedisClientConfig cfg(String password, int db) {
        return DefaultJedisClientConfig.builder().password(password).database(db).build();
    }

    /** A Jedis or a JedisPool (a resource borrowed and returned per call). */
    static final class JedisOps implements Ops {
        private final Jedis jedis;
        private final JedisPool pool;
        JedisOps(Jedis jedis, JedisPool pool) { this.jedis = jedis; this.pool = pool; }
        private <T> T with(Function<Jedis, T> f) {
            if (pool != null) {
                try (Jedis j = pool.getResource()) { return f.apply(j); }
            }
            return f.apply(jedis);
        }

    @Override public Object set(String k, String v) { return with(j -> j.set(k, v)); }
    @Override public Object get(String k) { return with(j -> j.get(k)); }
    @Override public Object incr(String k) { return with(j -> j.incr(k)); }
    @Override public Object del(String k) { return with(j -> j.del(k)); }
    @Override public Object hset(String k, String f, String v) { return with(j -> j.hset(k, f, v)); }
    @Override public Object hget(String k, String f) { return with(j -> j.hget(k, f)); }
    @Override public Object lpush(String k, String... v) { return with(j -> j.lpush(k, v)); }
    @Override public Object lrange(String k, long a, long b) { return with(j -> j.lrange(k, a, b)); }
    @Override public List<Object> pipeline(String k) {
        return with(j -> { var p = j.pipelined(); var a = p.set(k, "1"); var b = p.incr(k); var c = p.get(k); p.sync(); return java.util.Arrays.<Object>asList(a.get(), b.get(), c.get()); });
    }
    @Override public List<Object> multi(String k) {
        return with(j -> { var t = j.multi(); t.set(k, "1"); t.incr(k); t.get(k); return t.exec(); });
    }
    @Override public Object unserved() { return with(j -> j.eval("return 1")); }
        @Override public void close() { if (pool != null) { pool.close(); } else { jedis.close(); } }
    }

    /** UnifiedJedis and its subclasses: one object, its own pool inside. */
    static final class UnifiedOps implements Ops {
        private final UnifiedJedis u;
        UnifiedOps(UnifiedJedis u) { this.u = u; }
        private <T> T with(Function<UnifiedJedis, T> f) { return f.apply(u); }

    @Override public Object set(String k, String v) { return with(j -> j.set(k, v)); }
    @Override public Object get(String k) { return with(j -> j.get(k)); }
    @Override public Object incr(String k) { return with(j -> j.incr(k)); }
    @Override public Object del(String k) { return with(j -> j.del(k)); }
    @Override public Object hset(String k, String f, String v) { return with(j -> j.hset(k, f, v)); }
    @Override public Object hget(String k, String f) { return with(j -> j.hget(k, f)); }
    @Override public Object lpush(String k, String... v) { return with(j -> j.lpush(k, v)); }
    @Override public Object lrange(String k, long a, long b) { return with(j -> j.lrange(k, a, b)); }
    @Override public List<Object> pipeline(String k) {
        return with(j -> { var p = j.pipelined(); var a = p.set(k, "1"); var b = p.incr(k); var c = p.get(k); p.sync(); return java.util.Arrays.<Object>asList(a.get(), b.get(), c.get()); });
    }
    @Override public List<Object> multi(String k) {
        return with(j -> { var t = j.multi(); t.set(k, "1"); t.incr(k); t.get(k); return t.exec(); });
    }
    @Override public Object unserved() { return with(j -> j.eval("return 1")); }
        @Override public void close() { u.close(); }
    }
}
