package dev.redisresilience.it.jedis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import java.util.List;
import java.util.function.Function;

/**
 * Jedis 4.x to 6.x (UnifiedJedis, JedisPooled, no RedisClient yet): the shared scenarios with these versions'
 * client kinds. Compiled and run by it/jedis-4.4.8, it/jedis-5.2.0 and it/jedis-6.2.0, each against its own
 * Jedis; the version under test comes from the module's {@code jedis.version}.
 */
class Jedis4To6Test extends JedisScenarios {

    @Override protected String expectedVersion() { return System.getProperty("jedis.version"); }

    @Override protected Class<?> jedisClass() { return Jedis.class; }

    @Override protected List<Kind> kinds() { return List.of(Kind.JEDIS, Kind.JEDIS_EAGER, Kind.POOL, Kind.POOLED, Kind.UNIFIED); }

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
            case POOLED -> new UnifiedOps(new JedisPooled(new HostAndPort(host, port), cfg(password, db)));
            case UNIFIED -> new UnifiedOps(new UnifiedJedis(new HostAndPort(host, port), cfg(password, db)));
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
        return with(j -> { var p = (redis.clients.jedis.Pipeline) j.pipelined(); var a = p.set(k, "1"); var b = p.incr(k); var c = p.get(k); p.sync(); return java.util.Arrays.<Object>asList(a.get(), b.get(), c.get()); });
    }
    @Override public List<Object> multi(String k) {
        return with(j -> { var t = j.multi(); t.set(k, "1"); t.incr(k); t.get(k); return t.exec(); });
    }
    @Override public Object unserved() { return with(j -> j.eval("return 1")); }
        @Override public void close() { u.close(); }
    }
}
