package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.command.Command;
import dev.redisresilience.agent.engine.command.CommandTable;
import dev.redisresilience.agent.engine.command.Ctx;
import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.Keyspace;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.redisresilience.agent.engine.command.Command.TRANSACTION;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH, RESET, QUIT — per-connection state, so handled by the dispatcher.
 *
 * <ul>
 *   <li>Queueing errors (arity, unserved command) mark the transaction; EXEC then replies
 *       {@code -EXECABORT Transaction discarded because of previous errors.}</li>
 *   <li>EXEC runs the whole queue under the keyspace-group lock (atomic); runtime errors become error
 *       elements; blocking commands inside do not block (they reply their timeout value).</li>
 *   <li>WATCH is implemented: EXEC replies a null array when a watched key was written (by any session,
 *       including this one), its db flushed, or it expired, since WATCH.</li>
 * </ul>
 */
final class TransactionCommands {
    private TransactionCommands() { }

    static void register(CommandTable t) {
        t.add(new Command("multi", 1, TRANSACTION, null));
        t.add(new Command("exec", 1, TRANSACTION, null));
        t.add(new Command("discard", 1, TRANSACTION, null));
        t.add(new Command("watch", -2, TRANSACTION, null));
        t.add(new Command("reset", 1, TRANSACTION, null));
        t.add(new Command("quit", -1, TRANSACTION, null));
        t.add(new Command("unwatch", 1, TRANSACTION, null));
    }

    private static EngineReply reply(String resp) {
        return EngineReply.of(resp.getBytes(StandardCharsets.UTF_8));
    }

    static EngineReply run(Dispatcher d, EngineSession s, Command cmd, byte[][] argv) {
        switch (cmd.name) {
            case "multi":
                if (s.inMulti) return reply("-ERR MULTI calls can not be nested\r\n");
                s.inMulti = true;
                s.multiDirty = false;
                s.queue.clear();
                return reply("+OK\r\n");
            case "discard":
                if (!s.inMulti) return reply("-ERR DISCARD without MULTI\r\n");
                endMulti(d, s);
                return reply("+OK\r\n");
            case "exec":
                if (!s.inMulti) return reply("-ERR EXEC without MULTI\r\n");
                return exec(d, s);
            case "watch":
                if (s.inMulti) return reply("-ERR WATCH inside MULTI is not allowed\r\n");
                watch(d, s, argv);
                return reply("+OK\r\n");
            case "unwatch":
                if (s.inMulti) { // queued like Redis; a no-op by EXEC time
                    s.queue.add(argv.clone());
                    return reply("+QUEUED\r\n");
                }
                unwatch(d, s);
                return reply("+OK\r\n");
            case "reset":
                endMulti(d, s);
                s.setDb(0);
                s.setProtocol(2);
                s.setUser(null);
                s.setClientName(null);
                return reply("+RESET\r\n");
            case "quit":
                endMulti(d, s);
                return reply("+OK\r\n");
            default:
                return Dispatcher.notServed(s, argv);
        }
    }

    /** Ends MULTI and forgets WATCHes. */
    static void endMulti(Dispatcher d, EngineSession s) {
        s.inMulti = false;
        s.multiDirty = false;
        s.queue.clear();
        unwatch(d, s);
    }

    static void unwatch(Dispatcher d, EngineSession s) {
        if (s.watches.isEmpty() && !s.watchDirty) return;
        KeyspaceGroup g = d.lock(s);
        try {
            g.removeWatcher(s.watcher());
        } finally {
            g.lock.unlock();
        }
        s.watches.clear();
        s.watchDirty = false;
    }

    private static void watch(Dispatcher d, EngineSession s, byte[][] argv) {
        long now = System.currentTimeMillis();
        KeyspaceGroup g = d.lock(s);
        try {
            Keyspace ks = g.db(s.db());
            for (int i = 1; i < argv.length; i++) {
                Entry e = ks.peek(argv[i], now);
                s.watches.add(new EngineSession.Watch(s.db(), argv[i], e == null ? 0 : e.expireAt()));
            }
            g.addWatcher(s.watcher());
        } finally {
            g.lock.unlock();
        }
    }

    private static EngineReply exec(Dispatcher d, EngineSession s) {
        if (s.multiDirty) {
            endMulti(d, s);
            return reply("-EXECABORT Transaction discarded because of previous errors.\r\n");
        }
        List<byte[][]> queue = new ArrayList<>(s.queue);
        long now = System.currentTimeMillis();
        boolean wrote = false;
        Ctx c = s.ctx;
        KeyspaceGroup g = d.lock(s);
        byte[] out;
        try {
            boolean aborted = s.watchDirty;
            for (EngineSession.Watch w : s.watches) {
                if (w.expireAt != 0 && w.expireAt <= now) aborted = true;
            }
            g.removeWatcher(s.watcher());
            s.watches.clear();
            s.watchDirty = false;
            s.inMulti = false;
            s.queue.clear();
            if (aborted) {
                return reply(s.protocol() >= 3 ? "_\r\n" : "*-1\r\n");
            }
            c.reset(s, null, now);
            c.store = d.store;
            c.table = d.table;
            c.group = g;
            c.out.reset(s.protocol());
            c.out.array(queue.size());
            for (byte[][] argv : queue) {
                Command cmd = d.table.lookup(argv[0]);
                c.argv = argv;
                c.ks = g.db(s.db());
                c.noBlock = true;
                c.blockMillis = -1;
                c.notServed = null;
                int mark = c.out.length();
                if (cmd.is(TRANSACTION)) { // UNWATCH
                    c.out.ok();
                    continue;
                }
                Dispatcher.runHandler(c, cmd);
                if (c.notServed != null) {
                    c.out.truncate(mark);
                    c.out.error("ERR " + c.notServed);
                }
                if (cmd.is(Command.WRITE)) wrote = true;
            }
            if (wrote && g.hasWaiters()) g.serveWaiters(now);
            out = c.out.toByteArray();
        } finally {
            g.lock.unlock();
        }
        if (wrote) d.store.enforceBounds(now);
        return EngineReply.of(out);
    }

    static boolean sameKey(byte[] a, byte[] b) { return Arrays.equals(a, b); }
}
