package dev.redisresilience.agent.reconcile;

import java.io.IOException;
import java.util.List;

/** The connection reconcile talks to Redis over (the probe's own connection). Used by one thread. */
public interface ReconcileConnection {
    /**
     * One round trip. The reply is a {@code String} (status), {@code Long}, {@code byte[]} (bulk; null for
     * nil), {@code List} (array, elements of these types) or an {@link ErrorReply}.
     */
    Object call(byte[]... argv) throws IOException;

    /** One round trip. Returns null on a non-error reply, else the error message ({@code "WRONGTYPE ..."}). */
    String command(byte[]... argv) throws IOException;

    /**
     * Writes every command, then reads their replies in order, reporting each to {@code sink} as it
     * arrives. An IOException means the connection broke: replies reported so far were received, the
     * rest may or may not have been applied.
     */
    void pipeline(List<byte[][]> commands, ReplySink sink) throws IOException;

    /** The database selected on the connection when it is handed to reconcile. */
    int db();

    /** Receives one reply: {@code error} is null for a non-error reply. */
    interface ReplySink {
        void reply(int index, String error);
    }
}
