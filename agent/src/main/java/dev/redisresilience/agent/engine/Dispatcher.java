package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.command.Command;
import dev.redisresilience.agent.engine.command.CommandTable;
import dev.redisresilience.agent.engine.command.Ctx;
import dev.redisresilience.agent.engine.command.RedisError;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;
import dev.redisresilience.agent.engine.data.Store;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command for a session: lookup, arity, MULTI queueing, the keyspace-group lock, the handler,
 * blocking (parking the caller without the lock) and serving blocked clients after writes, then the bounds.
 */
final class Dispatcher {
    private static final EngineReply OK = EngineReply.of("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final EngineReply QUEUED = EngineReply.of("+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final EngineReply ZERO = EngineReply.of(":0\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final EngineReply ONE = EngineReply.of(":1\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final EngineReply NULL2 = EngineReply.of("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final EngineReply NULL3 = EngineReply.of("_\r\n".getBytes(StandardCharsets.US_ASCII));

    final Store store;
    final CommandTable table;

    Dispatcher(Store store, CommandTable table) {
        this.store = store;
        this.table = table;
    }

    EngineReply execute(EngineSession s, byte[][] argv) {
        try {
            // one command at a time per connection, like Redis (a blocked BLPOP holds its connection too)
            synchronized (s) {
                return dispatch(s, argv);
            }
        } catch (Throwable t) {
            return EngineReply.notServed(name(argv) + " failed in the redis-resilience fallback: " + t);
        }
    }

    boolean isWrite(byte[][] argv) {
        if (argv == null || argv.length == 0 || argv[0] == null) return false;
        Command cmd = table.lookup(argv[0]);
        return cmd != null && cmd.is(Command.WRITE);
    }

    static String name(byte[][] argv) {
        if (argv == null || argv.length == 0 || argv[0] == null) return "(empty command)";
        return new String(argv[0], StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    static EngineReply notServed(EngineSession s, byte[][] argv) {
        return EngineReply.notServed(name(argv) + " is not served by the redis-resilience fallback while "
                + s.endpointId() + " is unreachable");
    }

    private EngineReply dispatch(EngineSession s, byte[][] argv) {
        if (argv == null || argv.length == 0) return notServed(s, argv);
        Command cmd = table.lookup(argv[0]);
        if (cmd == null) {
            if (s.inMulti) s.multiDirty = true;
            return notServed(s, argv);
        }
        if (cmd.is(Command.TRANSACTION)) {
            if (!cmd.arityOk(argv.length)) {
                return EngineReply.of(error(cmd.arityError()));
            }
            return TransactionCommands.run(this, s, cmd, argv);
        }
        if (!cmd.arityOk(argv.length)) {
            if (s.inMulti) s.multiDirty = true;
            return EngineReply.of(error(cmd.arityError()));
        }
        String subcommandError = cmd.subcommandArityError(argv);
        if (subcommandError != null) {
            if (s.inMulti) s.multiDirty = true;
            return EngineReply.of(error(subcommandError));
        }
        if (s.inMulti) {
            s.queue.add(argv.clone());
            return QUEUED;
        }
        return run(s, cmd, argv);
    }

    static byte[] error(String msg) {
        return ("-" + msg + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Locks the session's group, re-fetching it when the endpoint was dropped meanwhile. */
    KeyspaceGroup lock(EngineSession s) {
        while (true) {
            KeyspaceGroup g = s.group();
            g.lock.lock();
            if (!g.dropped) return g;
            g.lock.unlock();
        }
    }

    private EngineReply run(EngineSession s, Command cmd, byte[][] argv) {
        long now = System.currentTimeMillis();
        Ctx c = s.ctx;
        c.reset(s, argv, now);
        c.store = store;
        c.table = table;
        c.noBlock = false;
        if (cmd.is(Command.NO_KEYSPACE)) {
            c.group = null;
            c.ks = null;
            runHandler(c, cmd);
            return reply(c);
        }
        KeyspaceGroup g = lock(s);
        try {
            c.group = g;
            c.ks = g.db(s.db());
            if (c.ks.hasDue(now)) c.ks.expireDue(now, 16);
            runHandler(c, cmd);
            if (c.blockMillis >= 0) return block(s, g, cmd, argv, c.blockMillis, now);
            if (cmd.is(Command.WRITE) && g.hasWaiters()) g.serveWaiters(now);
        } finally {
            g.lock.unlock();
        }
        if (cmd.is(Command.WRITE)) store.enforceBounds(now);
        return reply(c);
    }

    /** Runs a handler, turning a {@link RedisError} into an error reply (dropping any partial output). */
    static void runHandler(Ctx c, Command cmd) {
        int mark = c.out.length();
        try {
            cmd.handler.run(c);
        } catch (RedisError e) {
            c.out.truncate(mark);
            c.blockMillis = -1;
            c.out.error(e.getMessage());
        }
    }

    private static EngineReply reply(Ctx c) {
        if (c.notServed != null) return EngineReply.notServed(c.notServed);
        int n = c.out.length();
        if (n <= 5) {
            byte b0 = c.out.byteAt(0), b1 = c.out.byteAt(1);
            if (n == 5 && b0 == '+' && b1 == 'O') return OK;
            if (n == 4 && b0 == ':' && b1 == '0') return ZERO;
            if (n == 4 && b0 == ':' && b1 == '1') return ONE;
            if (n == 5 && b0 == '$' && b1 == '-') return NULL2;
            if (n == 3 && b0 == '_') return NULL3;
        }
        return EngineReply.of(c.out.toByteArray());
    }

    // ---- blocking -------------------------------------------------------------------------------

    /** A parked BLPOP-style command, re-run by whichever thread's write might serve it. */
    final class Blocked implements KeyspaceGroup.Waiter {
        final EngineSession session;
        final Command cmd;
        final byte[][] argv;
        final int db;
        final KeyspaceGroup group;
        volatile byte[] reply;

        Blocked(EngineSession session, Command cmd, byte[][] argv, KeyspaceGroup group) {
            this.session = session;
            this.cmd = cmd;
            this.argv = argv;
            this.db = session.db();
            this.group = group;
        }

        @Override public boolean tryServe(long now) {
            Ctx c = new Ctx();
            c.reset(session, argv, now);
            c.store = store;
            c.table = table;
            c.group = group;
            c.ks = group.db(db);
            c.noBlock = false;
            runHandler(c, cmd);
            if (c.blockMillis >= 0) return false;
            reply = c.out.toByteArray();
            return true;
        }
    }

    private EngineReply block(EngineSession s, KeyspaceGroup g, Command cmd, byte[][] argv, long timeoutMs, long now) {
        Blocked b = new Blocked(s, cmd, argv.clone(), g);
        g.addWaiter(b);
        long deadline = timeoutMs == 0 ? Long.MAX_VALUE : now + timeoutMs;
        boolean interrupted = false;
        try {
            while (b.reply == null && !g.dropped) {
                long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.currentTimeMillis();
                if (wait <= 0) break;
                try {
                    g.changed.await(Math.min(wait, 60_000L), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            if (b.reply == null) g.removeWaiter(b);
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (b.reply != null) return EngineReply.of(b.reply);
        if (g.dropped || interrupted) {
            return EngineReply.notServed(name(argv) + " was interrupted: "
                    + (interrupted ? "the calling thread was interrupted" : s.endpointId() + " is reachable again"));
        }
        // Redis replies a null array on timeout for every list blocking command (BLMOVE included)
        if (s.protocol() >= 3) return NULL3;
        return EngineReply.of("*-1\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
