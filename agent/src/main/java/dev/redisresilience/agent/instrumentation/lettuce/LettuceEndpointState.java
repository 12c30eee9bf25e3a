package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.engine.resp.RespRequest;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;

import java.lang.ref.WeakReference;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the adapter keeps per Lettuce {@code DefaultEndpoint} (one per connection): its guard, the engine
 * session, the address and watchdog needed to get back to Redis. Commands are served one at a time per
 * connection, in order; a blocking command (BLPOP...) and everything issued after it on the same
 * connection run on a worker thread, so neither an event loop nor an async caller ever blocks.
 */
final class LettuceEndpointState {

    private static final Set<String> BLOCKING = new HashSet<String>(Arrays.asList(
            "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF"));

    final WeakReference<Object> endpoint;
    final LettuceBridge bridge;
    final EndpointGuard guard;
    final String host;
    final int port;
    volatile SocketAddress address;
    private volatile WeakReference<Object> watchdog;
    volatile int db;
    volatile String user;
    // stall detection (LettuceStallDetector's timer thread only, except probing)
    Object stallHead;
    long stallSince;
    volatile boolean probing;
    /** Set by LettuceReconnector right before it lets the watchdog reconnect. */
    volatile boolean kicked;
    /**
     * Set with {@link #kicked}; cleared when that reconnect succeeds. Until then Lettuce's "Reconnected to"
     * line for this connection is not logged: the agent's UP line already reported the recovery.
     */
    volatile boolean quietReconnect;
    /**
     * The endpoint's {@link EndpointGuard#generation()} when this connection last let a "Reconnected to" line
     * pass or drop: the first such line after each recovery is dropped, also when Lettuce's own watchdog (not
     * {@link LettuceReconnector}) made the reconnect, e.g. one it had scheduled before the endpoint went DOWN.
     */
    volatile long quietGeneration;
    /** System.nanoTime() of the last reconnect the agent let loose (0 = none): one at a time, see LettuceStallDetector. */
    volatile long reconnectKickedNanos;
    /** True when the connection was handed out without ever reaching Redis. */
    volatile boolean lazy;

    private EngineSession session;
    /** MULTI was answered by the engine and neither EXEC nor DISCARD yet (guarded like the session). */
    private volatile boolean inLocalMulti;

    /** True while a transaction begun on the engine is open: its commands must not go to Redis. */
    boolean inLocalMulti() {
        return inLocalMulti;
    }
    private final ArrayDeque<Task> pending = new ArrayDeque<Task>();
    private boolean workerActive;

    LettuceEndpointState(Object endpoint, LettuceBridge bridge, EndpointGuard guard, String host, int port) {
        this.endpoint = new WeakReference<Object>(endpoint);
        this.bridge = bridge;
        this.guard = guard;
        this.host = host;
        this.port = port;
        this.quietGeneration = guard.generation();
    }

    void setWatchdog(Object wd) {
        watchdog = new WeakReference<Object>(wd);
    }

    Object watchdog() {
        WeakReference<Object> w = watchdog;
        Object wd = w == null ? null : w.get();
        if (wd == null) {
            Object ep = endpoint.get();
            wd = ep == null ? null : bridge.watchdog(ep);
        }
        return wd;
    }

    private static final class Task {
        final Object command;
        final byte[][] argv;
        final boolean fateUnknown;

        Task(Object command, byte[][] argv, boolean fateUnknown) {
            this.command = command;
            this.argv = argv;
            this.fateUnknown = fateUnknown;
        }
    }

    /** Answers the commands in order: inline when possible, on a worker behind a blocking command. */
    void submit(Object ep, List<Object> commands, boolean fateUnknown) {
        for (Object command : commands) {
            if (command == null || bridge.isDone(command)) {
                continue;
            }
            byte[][] argv;
            try {
                argv = bridge.argv(command);
            } catch (Throwable t) {
                LettuceSupport.failure(t);
                argv = null;
            }
            Task task = new Task(command, argv, fateUnknown);
            boolean startWorker = false;
            synchronized (this) {
                if (!workerActive && !isBlocking(argv)) {
                    serve(ep, task);
                    continue;
                }
                pending.add(task);
                if (!workerActive) {
                    workerActive = true;
                    startWorker = true;
                }
            }
            if (startWorker) {
                final Object epRef = ep;
                LettuceExecutors.execute(new Runnable() {
                    @Override
                    public void run() {
                        drainPending(epRef);
                    }
                });
            }
        }
    }

    private void drainPending(Object ep) {
        while (true) {
            Task task;
            synchronized (this) {
                task = pending.poll();
                if (task == null) {
                    workerActive = false;
                    return;
                }
            }
            serve(ep, task);
        }
    }

    private static boolean isBlocking(byte[][] argv) {
        if (argv == null) {
            return false;
        }
        String name = RespRequest.commandName(argv);
        if (BLOCKING.contains(name)) {
            return true;
        }
        if (name.equals("XREAD") || name.equals("XREADGROUP")) {
            for (byte[] a : argv) {
                if (a.length == 5 && new String(a, java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("BLOCK")) {
                    return true;
                }
            }
        }
        return false;
    }

    private EngineSession session(Object ep) {
        if (session == null) {
            EngineSession s = guard.newSession();
            if (s == null) {
                return null; // no engine (fallback=none): serve() answers "not served"
            }
            s.setProtocol(bridge.protocol(ep));
            if (db != 0) {
                s.setDb(db);
            }
            if (user != null) {
                s.setUser(user);
            }
            session = s;
        }
        return session;
    }

    /** Runs one command on the engine and completes it; never throws. Called with exclusive use of the session. */
    private void serve(Object ep, Task task) {
        Object command = task.command;
        try {
            if (bridge.isDone(command)) {
                return;
            }
            if (task.argv == null) {
                bridge.fail(command, bridge.connectionException("Redis " + host + ":" + port
                        + " is unavailable and the command could not be read for the fallback"));
                return;
            }
            String name = RespRequest.commandName(task.argv);
            EngineReply reply = guard.serve(session(ep), task.argv, task.fateUnknown);
            if (reply == EndpointGuard.USE_REDIS) {
                // The endpoint is UP again. The engine session belongs to the outage (its data was dropped):
                // the next outage starts a fresh one.
                session = null;
                if (inLocalMulti) {
                    // MULTI went to the engine, Redis never saw it: the transaction cannot continue on Redis
                    if (name.equals("EXEC") || name.equals("DISCARD")) {
                        inLocalMulti = false;
                    }
                    bridge.fail(command, bridge.connectionException("Redis " + host + ":" + port + " came back during a"
                            + " transaction that began while it was down; " + name + " was not run, retry the transaction"));
                    return;
                }
                // hand the command back to Lettuce (the write hook passes it through to Redis)
                bridge.write(ep, command);
                return;
            }
            if (reply != null && reply.served()) {
                if (!reply.isError()) {
                    if (name.equals("MULTI")) {
                        inLocalMulti = true;
                    } else if (name.equals("EXEC") || name.equals("DISCARD")) {
                        inLocalMulti = false;
                    } else if (name.equals("SELECT") && task.argv.length == 2) {
                        try {
                            db = Integer.parseInt(new String(task.argv[1], java.nio.charset.StandardCharsets.US_ASCII));
                        } catch (NumberFormatException ignored) {
                            // the engine accepted it; keep what we had
                        }
                    }
                } else if (name.equals("EXEC")) {
                    inLocalMulti = false;
                }
                bridge.completeWith(command, reply.resp());
            } else {
                String why = reply == null ? null : reply.notServedReason();
                bridge.fail(command, bridge.connectionException("Redis " + host + ":" + port + " is unavailable; "
                        + RespRequest.commandName(task.argv) + " was not served by the fallback"
                        + (why == null ? "" : ": " + why)));
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
            bridge.fail(command, bridge.connectionException("Redis " + host + ":" + port + " is unavailable; "
                    + RespRequest.commandName(task.argv) + " could not be answered by the fallback: " + t));
        }
    }
}
