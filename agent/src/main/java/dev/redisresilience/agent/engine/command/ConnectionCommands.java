package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.KeyspaceGroup;

import java.nio.charset.StandardCharsets;

import static dev.redisresilience.agent.engine.command.Command.NO_KEYSPACE;

/**
 * PING, ECHO, SELECT, AUTH, HELLO, CLIENT (SETNAME, GETNAME, ID, SETINFO, INFO, LIST, NO-EVICT, NO-TOUCH,
 * REPLY ON), READONLY, READWRITE.
 *
 * <p>AUTH: while the endpoint is unreachable the password cannot be verified, so AUTH always succeeds;
 * {@code AUTH user pass} (and HELLO AUTH) switches the session to that user's own keyspaces, so users
 * never see each other's fallback data. A wrong password is only detected once Redis is back.
 */
public final class ConnectionCommands {
    /** The Redis version the engine reports (HELLO, INFO). */
    public static final String REDIS_VERSION = "7.0.15";

    private ConnectionCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("ping", -1, NO_KEYSPACE, ConnectionCommands::ping));
        t.add(new Command("echo", 2, NO_KEYSPACE, c -> c.out.bulk(c.arg(1))));
        t.add(new Command("select", 2, NO_KEYSPACE, ConnectionCommands::select));
        t.add(new Command("auth", -2, NO_KEYSPACE, ConnectionCommands::auth));
        t.add(new Command("hello", -1, NO_KEYSPACE, ConnectionCommands::hello));
        t.add(new Command("client", -2, NO_KEYSPACE, ConnectionCommands::client, ConnectionCommands::clientArityError));
        t.add(new Command("readonly", 1, NO_KEYSPACE, c -> c.out.ok()));
        t.add(new Command("readwrite", 1, NO_KEYSPACE, c -> c.out.ok()));
    }

    static void ping(Ctx c) {
        if (c.argc() > 2) throw new RedisError("ERR wrong number of arguments for 'ping' command");
        if (c.argc() == 1) c.out.simple("PONG"); else c.out.bulk(c.arg(1));
    }

    static void select(Ctx c) {
        byte[] b = c.arg(1);
        if (!Numbers.isLong(b)) throw RedisError.NOT_INTEGER;
        long db = Numbers.parseLong(b);
        if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) throw RedisError.NOT_INTEGER;
        if (db < 0 || db >= KeyspaceGroup.DATABASES) throw new RedisError("ERR DB index is out of range");
        c.session.setDb((int) db);
        c.out.ok();
    }

    static void auth(Ctx c) {
        if (c.argc() > 3) throw RedisError.SYNTAX;
        c.session.setUser(c.argc() == 3 ? c.argString(1) : null);
        c.out.ok();
    }

    static void hello(Ctx c) {
        int ver = 0;
        int next = 1;
        if (c.argc() >= 2) {
            byte[] b = c.arg(next++);
            if (!Numbers.isLong(b)) throw new RedisError("ERR Protocol version is not an integer or out of range");
            long v = Numbers.parseLong(b);
            if (v < 2 || v > 3) throw new RedisError("NOPROTO unsupported protocol version");
            ver = (int) v;
        }
        String user = null;
        boolean auth = false;
        byte[] name = null;
        for (int j = next; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "auth") && more >= 2) {
                auth = true;
                user = c.argString(j + 1);
                j += 2;
            } else if (c.argIs(j, "setname") && more >= 1) {
                name = c.arg(j + 1);
                j++;
            } else {
                throw new RedisError("ERR Syntax error in HELLO option '" + c.argString(j) + "'");
            }
        }
        if (name != null) validateName(name);
        if (auth) c.session.setUser(user);
        if (name != null) c.session.setClientName(name.length == 0 ? null : new String(name, StandardCharsets.UTF_8));
        if (ver != 0) {
            c.session.setProtocol(ver);
            c.out.reset(ver);
        }
        c.out.map(7);
        c.out.bulk("server").bulk("redis");
        c.out.bulk("version").bulk(REDIS_VERSION);
        c.out.bulk("proto").integer(c.session.protocol());
        c.out.bulk("id").integer(c.session.id());
        c.out.bulk("mode").bulk("standalone");
        c.out.bulk("role").bulk("master");
        c.out.bulk("modules").array(0);
    }

    static void validateName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') throw new RedisError("ERR Client names cannot contain spaces, newlines or special characters.");
        }
    }

    /** Arity of the CLIENT subcommands the engine serves, as Redis checks it before running or queueing. */
    static String clientArityError(byte[][] argv) {
        String sub = new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        int expected;
        switch (sub) {
            case "setname": expected = 3; break;
            case "getname":
            case "id": expected = 2; break;
            case "setinfo": expected = 4; break;
            default: return null;
        }
        return argv.length == expected ? null : "ERR wrong number of arguments for 'client|" + sub + "' command";
    }

    static void client(Ctx c) {
        String sub = c.argString(1).toLowerCase(java.util.Locale.ROOT);
        switch (sub) {
            case "setname":
                if (c.argc() != 3) throw new RedisError("ERR wrong number of arguments for 'client|setname' command");
                validateName(c.arg(2));
                c.session.setClientName(c.arg(2).length == 0 ? null : c.argString(2));
                c.out.ok();
                return;
            case "getname":
                if (c.argc() != 2) throw new RedisError("ERR wrong number of arguments for 'client|getname' command");
                String n = c.session.clientName();
                if (n == null) c.out.nullBulk(); else c.out.bulk(n);
                return;
            case "id":
                if (c.argc() != 2) throw new RedisError("ERR wrong number of arguments for 'client|id' command");
                c.out.integer(c.session.id());
                return;
            case "setinfo":
                if (c.argc() != 4) throw new RedisError("ERR wrong number of arguments for 'client|setinfo' command");
                String attr = c.argString(2).toLowerCase(java.util.Locale.ROOT);
                for (byte b : c.arg(3)) {
                    if (b < '!' || b > '~') throw new RedisError("ERR " + c.argString(2) + " cannot contain spaces, newlines or special characters.");
                }
                if (attr.equals("lib-name")) c.session.setLibName(c.argString(3));
                else if (attr.equals("lib-ver")) c.session.setLibVersion(c.argString(3));
                else throw new RedisError("ERR Unrecognized option '" + c.argString(2) + "'");
                c.out.ok();
                return;
            case "info":
                c.out.verbatim(clientLine(c) + "\n");
                return;
            case "list":
                c.out.verbatim(clientLine(c) + "\n");
                return;
            case "no-evict":
            case "no-touch":
                if (c.argc() != 3 || !(c.argIs(2, "on") || c.argIs(2, "off"))) throw RedisError.SYNTAX;
                c.out.ok();
                return;
            case "reply":
                if (c.argc() == 3 && c.argIs(2, "on")) { c.out.ok(); return; }
                c.notServed = "CLIENT REPLY " + (c.argc() > 2 ? c.argString(2) : "") + " is not served by the redis-resilience fallback";
                return;
            default:
                c.notServed = "CLIENT " + c.argString(1).toUpperCase(java.util.Locale.ROOT)
                        + " is not served by the redis-resilience fallback while " + c.session.endpointId() + " is unreachable";
        }
    }

    private static String clientLine(Ctx c) {
        String name = c.session.clientName();
        return "id=" + c.session.id() + " addr=127.0.0.1:0 laddr=" + c.session.endpointId() + " fd=-1 name=" + (name == null ? "" : name)
                + " age=0 idle=0 flags=N db=" + c.session.db() + " sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0"
                + " multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|info user="
                + (c.session.user() == null ? "default" : c.session.user()) + " redir=-1 resp=" + c.session.protocol()
                + " lib-name=" + (c.session.libName() == null ? "" : c.session.libName())
                + " lib-ver=" + (c.session.libVersion() == null ? "" : c.session.libVersion());
    }
}
