package dev.redisresilience.agent.engine;

/**
 * The outcome of one command: either a RESP-encoded reply (possibly a Redis error reply such as
 * {@code -WRONGTYPE ...}) or "not served", meaning the engine does not emulate this command (scripts,
 * pub/sub, streams...) and the adapter must fail the call with its client's own connection exception,
 * quoting {@link #notServedReason()}. Immutable.
 */
public final class EngineReply {
    private final byte[] resp;
    private final String notServedReason;

    private EngineReply(byte[] resp, String notServedReason) {
        this.resp = resp;
        this.notServedReason = notServedReason;
    }

    public static EngineReply of(byte[] resp) {
        return new EngineReply(resp, null);
    }

    public static EngineReply notServed(String reason) {
        return new EngineReply(null, reason);
    }

    public boolean served() {
        return resp != null;
    }

    /** The complete RESP reply; null when not served. The caller must not modify it. */
    public byte[] resp() {
        return resp;
    }

    /** Why the command was not served, naming the command; null when served. */
    public String notServedReason() {
        return notServedReason;
    }

    /** True when the reply is a RESP error ({@code -...}). */
    public boolean isError() {
        return resp != null && resp.length > 0 && resp[0] == '-';
    }
}
