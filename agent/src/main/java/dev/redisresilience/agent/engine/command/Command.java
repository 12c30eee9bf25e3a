package dev.redisresilience.agent.engine.command;

import java.nio.charset.StandardCharsets;

/** One served command: its name, Redis arity (n = exactly n args incl. name, -n = at least n), flags and handler. */
public final class Command {
    /** Changes data: after it the dispatcher serves blocked clients. */
    public static final int WRITE = 1;
    /** Touches no keyspace: runs without taking the keyspace lock (PING, HELLO, CLIENT...). */
    public static final int NO_KEYSPACE = 2;
    /** Handled by the dispatcher itself (MULTI, EXEC, DISCARD, WATCH, UNWATCH, RESET, QUIT). */
    public static final int TRANSACTION = 4;
    /** May block the caller (BLPOP, BRPOP, BLMOVE). */
    public static final int BLOCKING = 8;

    /** Runs the command in a {@link Ctx}; replies through {@code ctx.out} or throws {@link RedisError}. */
    public interface Handler {
        void run(Ctx ctx);
    }

    public final String name;          // lower case, as Redis names it in errors
    final byte[] lower;
    public final int arity;
    public final int flags;
    public final Handler handler;
    private final SubcommandArity subcommandArity;

    /**
     * The arity error of a container command's subcommand ({@code CLIENT SETNAME} without a name), or
     * null when it is fine. Redis checks it when the command is queued, so MULTI must too.
     */
    public interface SubcommandArity {
        String errorFor(byte[][] argv);
    }

    public Command(String name, int arity, int flags, Handler handler) {
        this(name, arity, flags, handler, null);
    }

    public Command(String name, int arity, int flags, Handler handler, SubcommandArity subcommandArity) {
        this.name = name;
        this.lower = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = flags;
        this.handler = handler;
        this.subcommandArity = subcommandArity;
    }

    public boolean is(int flag) { return (flags & flag) != 0; }

    public boolean arityOk(int argc) { return arity >= 0 ? argc == arity : argc >= -arity; }

    public String arityError() { return "ERR wrong number of arguments for '" + name + "' command"; }

    /** The subcommand's arity error for {@code argv}, or null (also for commands without subcommands). */
    public String subcommandArityError(byte[][] argv) {
        return subcommandArity == null ? null : subcommandArity.errorFor(argv);
    }
}
