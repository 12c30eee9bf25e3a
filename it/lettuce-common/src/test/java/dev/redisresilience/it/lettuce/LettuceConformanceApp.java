package dev.redisresilience.it.lettuce;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fixed script of commands through sync, async and reactive APIs against a real Redis and prints one
 * line per result. {@link LettuceChildJvmTest} runs it with and without the agent and compares the lines.
 * Args: port keyPrefix.
 */
public final class LettuceConformanceApp {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String p = args[1];
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        List<String> out = new ArrayList<>();
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> s = conn.sync();
            out.add("ping " + s.ping());
            out.add("set " + s.set(p + "k", "v"));
            out.add("get " + s.get(p + "k"));
            out.add("getnil " + s.get(p + "nope"));
            out.add("incr " + s.incr(p + "n"));
            out.add("incrbyfloat " + s.incrbyfloat(p + "f", 1.5));
            out.add("append " + s.append(p + "k", "w"));
            out.add("strlen " + s.strlen(p + "k"));
            out.add("hset " + s.hset(p + "h", "a", "1"));
            out.add("hgetall " + new TreeMap<>(s.hgetall(p + "h")));
            out.add("rpush " + s.rpush(p + "l", "x", "y", "z"));
            out.add("lrange " + s.lrange(p + "l", 0, -1));
            out.add("sadd " + s.sadd(p + "s", "a", "b"));
            out.add("smembers " + new java.util.TreeSet<>(s.smembers(p + "s")));
            out.add("zadd " + s.zadd(p + "z", 1.5, "m"));
            out.add("zscore " + s.zscore(p + "z", "m"));
            List<String> zr = new ArrayList<>();
            for (ScoredValue<String> v : s.zrangeWithScores(p + "z", 0, -1)) {
                zr.add(v.getValue() + "=" + v.getScore());
            }
            out.add("zrange " + zr);
            List<String> mg = new ArrayList<>();
            for (KeyValue<String, String> kv : s.mget(p + "k", p + "nope")) {
                mg.add(kv.hasValue() ? kv.getValue() : "<none>");
            }
            out.add("mget " + mg);
            out.add("exists " + s.exists(p + "k", p + "nope"));
            out.add("expire " + s.expire(p + "k", 100));
            out.add("ttl>0 " + (s.ttl(p + "k") > 0));
            out.add("type " + s.type(p + "h"));
            try {
                s.incr(p + "k");
                out.add("incr-error none");
            } catch (Exception e) {
                out.add("incr-error " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            s.multi();
            s.set(p + "t", "1");
            s.incr(p + "t");
            TransactionResult tx = s.exec();
            out.add("exec " + tx.wasDiscarded() + " " + tx.size() + " " + tx.get(0) + " " + tx.get(1));
            RedisAsyncCommands<String, String> a = conn.async();
            out.add("async-get " + a.get(p + "t").get(5, TimeUnit.SECONDS));
            out.add("reactive-get " + conn.reactive().get(p + "t").block(Duration.ofSeconds(5)));
            out.add("del " + s.del(p + "k", p + "n", p + "f", p + "h", p + "l", p + "s", p + "z", p + "t"));
        } finally {
            client.shutdown();
        }
        for (String line : out) {
            System.out.println("R " + line);
        }
    }
}
