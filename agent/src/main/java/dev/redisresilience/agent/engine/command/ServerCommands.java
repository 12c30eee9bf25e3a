package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.Keyspace;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

import static dev.redisresilience.agent.engine.command.Command.NO_KEYSPACE;

/**
 * The handshake / bookkeeping answers clients ask for: INFO (minimal sections), COMMAND (COUNT, DOCS,
 * INFO, LIST; bare COMMAND = empty array), CLUSTER SLOTS / NODES / INFO / MYID (one node owning every slot,
 * at the endpoint's host:port), CONFIG GET (empty), TIME.
 */
public final class ServerCommands {
    private ServerCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("info", -1, 0, ServerCommands::info));
        t.add(new Command("command", -1, NO_KEYSPACE, ServerCommands::command));
        t.add(new Command("cluster", -2, NO_KEYSPACE, ServerCommands::cluster));
        t.add(new Command("config", -2, NO_KEYSPACE, ServerCommands::config));
        t.add(new Command("time", 1, NO_KEYSPACE, c -> {
            long us = c.now * 1000;
            c.out.array(2).bulk(Ctx.bytes(us / 1_000_000)).bulk(Ctx.bytes(us % 1_000_000));
        }));
    }

    static void info(Ctx c) {
        String[] hp = hostPort(c.session.endpointId());
        StringBuilder sb = new StringBuilder();
        sb.append("# Server\r\n")
          .append("redis_version:").append(ConnectionCommands.REDIS_VERSION).append("\r\n")
          .append("redis_mode:standalone\r\n")
          .append("os:redis-resilience fallback engine\r\n")
          .append("arch_bits:64\r\n")
          .append("tcp_port:").append(hp[1]).append("\r\n")
          .append("\r\n# Clients\r\nconnected_clients:1\r\nblocked_clients:0\r\n")
          .append("\r\n# Memory\r\nused_memory:").append(c.store.accounting().bytes.get()).append("\r\n")
          .append("maxmemory:").append(c.store.accounting().maxBytes == Long.MAX_VALUE ? 0 : c.store.accounting().maxBytes).append("\r\n")
          .append("maxmemory_policy:allkeys-lru\r\n")
          .append("\r\n# Persistence\r\nloading:0\r\n")
          .append("\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n")
          .append("\r\n# Keyspace\r\n");
        for (int db = 0; db < KeyspaceGroup.DATABASES; db++) {
            Keyspace k = c.group.existing(db);
            if (k != null && k.size() > 0) sb.append("db").append(db).append(":keys=").append(k.size()).append(",expires=0,avg_ttl=0\r\n");
        }
        c.out.verbatim(sb.toString());
    }

    static void command(Ctx c) {
        if (c.argc() == 1) { c.out.array(0); return; }
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "count":
                c.out.integer(c.table.size());
                return;
            case "docs":
                c.out.map(0);
                return;
            case "info":
                c.out.array(c.argc() - 2);
                for (int i = 2; i < c.argc(); i++) c.out.nullArray();
                return;
            case "list":
                c.out.array(0);
                return;
            default:
                c.notServed = "COMMAND " + c.argString(1).toUpperCase(Locale.ROOT) + " is not served by the redis-resilience fallback";
        }
    }

    /** {host, port} of an endpoint id {@code host:port} ({@code [v6]:port} too); port 6379 when absent. */
    static String[] hostPort(String endpointId) {
        int i = endpointId.lastIndexOf(':');
        if (i <= 0 || endpointId.indexOf(']') > i) return new String[] {endpointId, "6379"};
        String host = endpointId.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new String[] {host, endpointId.substring(i + 1)};
    }

    static String nodeId(String endpointId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(endpointId.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) sb.append(String.format("%02x", b & 0xff));
            return sb.toString();
        } catch (Exception e) {
            return "0000000000000000000000000000000000000000";
        }
    }

    static void cluster(Ctx c) {
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        String[] hp = hostPort(c.session.endpointId());
        long port;
        try { port = Long.parseLong(hp[1]); } catch (NumberFormatException e) { port = 6379; }
        String id = nodeId(c.session.endpointId());
        switch (sub) {
            case "slots":
                c.out.array(1).array(3).integer(0).integer(16383).array(3).bulk(hp[0]).integer(port).bulk(id);
                return;
            case "nodes":
                c.out.verbatim(id + " " + hp[0] + ":" + port + "@" + (port + 10000)
                        + " myself,master - 0 0 1 connected 0-16383\n");
                return;
            case "myid":
                c.out.bulk(id);
                return;
            case "info":
                c.out.verbatim("cluster_enabled:1\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\n"
                        + "cluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\n"
                        + "cluster_known_nodes:1\r\ncluster_size:1\r\ncluster_current_epoch:1\r\ncluster_my_epoch:1\r\n");
                return;
            default:
                c.notServed = "CLUSTER " + c.argString(1).toUpperCase(Locale.ROOT) + " is not served by the redis-resilience fallback";
        }
    }

    static void config(Ctx c) {
        if (c.argIs(1, "get")) {
            if (c.argc() < 3) throw new RedisError("ERR wrong number of arguments for 'config|get' command");
            c.out.map(0);
            return;
        }
        c.notServed = "CONFIG " + c.argString(1).toUpperCase(Locale.ROOT) + " is not served by the redis-resilience fallback";
    }
}
