package dev.redisresilience.testkit;

import java.util.Objects;

/**
 * A RESP error reply ({@code -ERR ...} in RESP2/RESP3, or a RESP3 blob error {@code !...}), as a value:
 * two errors are equal when their full messages are equal.
 */
public final class RespError {
    private final String message;

    public RespError(String message) {
        this.message = Objects.requireNonNull(message);
    }

    /** The full error line without the leading {@code -}, e.g. {@code "WRONGTYPE Operation against ..."}. */
    public String message() {
        return message;
    }

    /** The first word of the message, e.g. {@code ERR}, {@code WRONGTYPE}, {@code NOAUTH}. */
    public String code() {
        int sp = message.indexOf(' ');
        return sp < 0 ? message : message.substring(0, sp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RespError && ((RespError) o).message.equals(message);
    }

    @Override
    public int hashCode() {
        return message.hashCode();
    }

    @Override
    public String toString() {
        return "RespError(" + message + ")";
    }
}
